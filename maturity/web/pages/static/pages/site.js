// Live validation, an enhancement only: the form posts and validates without it.
// Each number typed is sent (after a pause) to the round's validation endpoint, which reads
// it with the library's value reader; its message, the command line's, appears under the field.
(function () {
  "use strict";
  var form = document.querySelector("form.assessment[data-validate]");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-validate");
  var unit = form.getAttribute("data-unit");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timers = {};
  function check(field) {
    var name = field.name.slice(2);
    var body = new URLSearchParams();
    body.set("unit", unit);
    body.set("input", name);
    body.set("value", field.value);
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" }
    }).then(function (r) { return r.json(); }).then(function (data) {
      var out = document.getElementById("e_" + name);
      if (!out || data.message === undefined) { return; }
      out.textContent = data.message;
      if (data.ok) { field.removeAttribute("aria-invalid"); }
      else { field.setAttribute("aria-invalid", "true"); }
      var box = field.closest(".field");
      if (box) { box.classList.toggle("has-error", !data.ok); }
    }).catch(function () { /* the server checks again on saving */ });
  }
  form.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.name || field.name.indexOf("v_") !== 0) { return; }
    clearTimeout(timers[field.name]);
    timers[field.name] = setTimeout(function () { check(field); }, 350);
  });
})();
