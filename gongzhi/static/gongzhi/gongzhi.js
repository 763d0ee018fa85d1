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
})();
