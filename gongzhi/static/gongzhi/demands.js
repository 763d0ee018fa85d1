/* 共治 · 诉求: small enhancements of the demands pages. Every page works without them. */
(function () {
  "use strict";

  // A refusal (400/403) from a demands action is a fragment to show, not an error to drop:
  // htmx 2 does not swap 4xx responses by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    var elt = event.detail.elt;
    if ((status === 400 || status === 403) && elt && elt.closest && elt.closest("[data-demands-htmx]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function categoryRadio(form, value) {
    return form.querySelector('[data-category-choices] input[type="radio"][value="' + value + '"]');
  }

  // The category suggested from the description: chosen for the resident unless they
  // picked one themself; "用这个" picks it on request.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "category-suggestion") return;
    var form = target.closest("form");
    var hint = target.querySelector("[data-suggested]");
    if (!form || !hint) return;
    var checked = form.querySelector("[data-category-choices] input:checked");
    if (checked && !checked.hasAttribute("data-auto")) return;
    var radio = categoryRadio(form, hint.getAttribute("data-suggested"));
    if (radio && !radio.checked) {
      if (checked) checked.removeAttribute("data-auto");
      radio.checked = true;
      radio.setAttribute("data-auto", "");
    }
  });

  document.addEventListener("click", function (event) {
    var pick = event.target.closest && event.target.closest("[data-pick-category]");
    if (pick) {
      var radio = categoryRadio(pick.closest("form"), pick.getAttribute("data-pick-category"));
      if (radio) {
        radio.checked = true;
        radio.removeAttribute("data-auto");
        radio.focus();
      }
    }
    var print = event.target.closest && event.target.closest("[data-print]");
    if (print) window.print();
  });

  // A choice the resident makes themself is theirs: no suggestion overrides it.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.closest && input.closest("[data-category-choices]")) {
      input.removeAttribute("data-auto");
    }
  });

  // Place: show only the inputs of the kind of place chosen (room, building, common area).
  function syncPlace(fieldset) {
    var chosen = fieldset.querySelector('input[name="place_kind"]:checked');
    var kind = chosen ? chosen.value : "";
    fieldset.querySelectorAll("[data-place-for]").forEach(function (block) {
      var kinds = block.getAttribute("data-place-for").split(" ");
      block.hidden = kinds.indexOf(kind) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    var fieldset = event.target.closest && event.target.closest("[data-place]");
    if (fieldset && event.target.name === "place_kind") syncPlace(fieldset);
  });

  // Photos: say how many are chosen and show them small, so nobody wonders whether the
  // picture "went in".
  function showPhotos(form) {
    var inputs = form.querySelectorAll('input[type="file"][name="photos"]');
    var box = form.querySelector("[data-photo-previews]");
    var status = form.querySelector("[data-photo-status]");
    if (!box) return;
    box.textContent = "";
    var count = 0;
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        count += 1;
        if (window.URL && file.type && file.type.indexOf("image/") === 0) {
          var img = document.createElement("img");
          img.alt = file.name;
          img.src = window.URL.createObjectURL(file);
          box.appendChild(img);
        }
      });
    });
    if (status && count) {
      status.textContent = (status.getAttribute("data-chosen") || "{n}").replace("{n}", count);
    }
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type === "file" && input.name === "photos") {
      var form = input.closest("form[data-demands-file]");
      if (form) showPhotos(form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-place]").forEach(syncPlace);
  });
})();
