/* 共治: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Forms marked data-confirm ask before they submit (ending a membership, ...).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // A search box driven by htmx: keep "Enter" from reloading the whole page.
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (
      event.key === "Enter" &&
      window.htmx &&
      input &&
      input.hasAttribute &&
      input.hasAttribute("hx-get")
    ) {
      event.preventDefault();
      window.htmx.trigger(input, "search");
    }
  });

  // A long list of people (data-person-picker): show only those whose label holds what
  // was typed (a name, a building); the chosen ones stay in view.
  function filterPicker(picker) {
    var input = picker.querySelector("[data-picker-search]");
    var count = picker.querySelector("[data-picker-count]");
    var items = picker.querySelectorAll("[data-picker-item]");
    var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var text = item.textContent.toLowerCase();
      var box = item.querySelector("input");
      var match = words.every(function (w) {
        return text.indexOf(w) !== -1;
      });
      item.hidden = !(match || (box && box.checked));
      if (!item.hidden) shown += 1;
    });
    if (count && count.getAttribute("data-template")) {
      count.textContent = count
        .getAttribute("data-template")
        .replace("{shown}", shown)
        .replace("{total}", items.length);
    }
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input && input.hasAttribute && input.hasAttribute("data-picker-search")) {
      filterPicker(input.closest("[data-person-picker]"));
    }
  });
})();
