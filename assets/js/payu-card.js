// Adding a card for automatic payment: the card number, expiry and CVV are typed into PayU's
// Secure Form (PayU's own fields, loaded from PayU by the SDK script before this one), and only
// the single-use token `tokenize('MULTI')` gives is posted to e-BOK. A file of its own: the CSP
// forbids inline scripts.
(function () {
  "use strict";
  var form = document.getElementById("payu-card");
  if (!form) {
    return;
  }
  var problem = document.getElementById("payu-card-error");
  var button = document.getElementById("tokenize-card");
  function show(message) {
    problem.textContent = message;
    problem.hidden = false;
    button.disabled = false;
  }
  if (typeof window.PayU !== "function") {
    show(form.getAttribute("data-unavailable") || "PayU is not available. Try again later.");
    button.disabled = true;
    return;
  }
  var payu = window.PayU(form.getAttribute("data-pos-id"));
  var fields = payu.secureForms();
  var options = { lang: form.getAttribute("data-lang") === "en" ? "en" : "pl" };
  fields.add("number", options).render("#payu-card-number");
  fields.add("date", options).render("#payu-card-date");
  fields.add("cvv", options).render("#payu-card-cvv");
  form.addEventListener("submit", function (event) {
    if (form.elements.token.value) {
      return;
    }
    event.preventDefault();
    button.disabled = true;
    problem.hidden = true;
    payu.tokenize("MULTI").then(function (result) {
      if (result.status === "SUCCESS" && result.body && result.body.token) {
        form.elements.token.value = result.body.token;
        form.submit();
        return;
      }
      var messages = (result.error && result.error.messages) || [];
      show(messages.map(function (m) { return m.message; }).join(" ") || form.getAttribute("data-refused"));
    }, function () {
      show(form.getAttribute("data-unavailable"));
    });
  });
})();
