// The local PayU server's stand-in for PayU's Secure Form SDK (`/javascript/sdk`): the same
// calls a merchant page makes — PayU(posId), secureForms(), add('number'|'date'|'cvv'),
// render(selector), tokenize('SINGLE'|'MULTI') resolving to {status, body: {token, mask}} or
// {status: 'ERROR', error: {messages: [{message}]}} — with plain inputs instead of PayU's
// iframes. The inputs have no name, so the merchant's own form never carries the card.
(function () {
  'use strict';
  var origin = new URL(document.currentScript.src).origin;
  var labels = { number: 'Numer karty', date: 'Ważna do (MM/RR)', cvv: 'CVV' };
  var completions = { number: 'cc-number', date: 'cc-exp', cvv: 'cc-csc' };

  function SecureForms() {
    this.fields = {};
  }
  SecureForms.prototype.add = function (type) {
    var fields = this.fields;
    var input = document.createElement('input');
    input.type = 'text';
    input.setAttribute('aria-label', labels[type] || type);
    input.setAttribute('autocomplete', completions[type] || 'off');
    input.setAttribute('data-payu-sim', type);
    if (type !== 'date') {
      input.inputMode = 'numeric';
    }
    fields[type] = input;
    return {
      render: function (selector) {
        var target = document.querySelector(selector);
        if (target) {
          target.appendChild(input);
        }
        return this;
      }
    };
  };

  window.PayU = function (posId) {
    var forms = new SecureForms();
    return {
      secureForms: function () {
        return forms;
      },
      tokenize: function (kind) {
        var value = function (type) {
          return forms.fields[type] ? forms.fields[type].value : '';
        };
        // text/plain keeps the request simple: no CORS preflight.
        return fetch(origin + '/sim/tokenize', {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify({
            posId: posId,
            type: kind,
            number: value('number'),
            date: value('date'),
            cvv: value('cvv')
          })
        }).then(function (response) {
          return response.json();
        });
      }
    };
  };
})();
