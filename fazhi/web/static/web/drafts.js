/* Drafts of unsaved forms (forms marked data-draft="key"), kept in the tab's sessionStorage so an
   accidental reload or a lost connection does not lose what was typed. On load a different draft is
   offered back (restore / discard); a draft equal to what the page shows is dropped; once the form was
   sent and the page that follows no longer holds it (the save succeeded), the draft is dropped too.
   Inputs marked data-draft-skip (身份证号) are never stored. A static file: the CSP forbids inline script. */
(function () {
  "use strict";
  var PREFIX = "fazhi-draft:";

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken" || el.hasAttribute("data-draft-skip")) {
        return false;
      }
      return ["hidden", "password", "file", "submit", "button", "reset"].indexOf(el.type) < 0;
    });
  }

  function values(form) {
    var out = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") { out[el.name] = el.checked ? "1" : ""; }
      else if (el.type === "radio") { if (el.checked) { out[el.name] = el.value; } }
      else { out[el.name] = el.value; }
    });
    return out;
  }

  function apply(form, saved) {
    fields(form).forEach(function (el) {
      if (!(el.name in saved)) { return; }
      if (el.type === "checkbox") { el.checked = saved[el.name] === "1"; }
      else if (el.type === "radio") { el.checked = saved[el.name] === el.value; }
      else { el.value = saved[el.name]; }
    });
  }

  function same(a, b) {
    var keys = Object.keys(a).concat(Object.keys(b));
    return keys.every(function (k) { return (a[k] || "") === (b[k] || ""); });
  }

  function read(store, key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }

  function setUp(store, form) {
    var key = PREFIX + form.getAttribute("data-draft");
    var notice = document.querySelector('[data-draft-notice="' + form.getAttribute("data-draft") + '"]');
    var draft = read(store, key);
    if (draft && draft.values) {
      if (same(draft.values, values(form))) {
        store.removeItem(key);
      } else if (notice) {
        notice.hidden = false;
        notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
          apply(form, draft.values);
          notice.hidden = true;
        });
        notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
          store.removeItem(key);
          notice.hidden = true;
        });
      }
    }
    var save = function () {
      store.setItem(key, JSON.stringify({ values: values(form), sent: false }));
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function () {
      store.setItem(key, JSON.stringify({ values: values(form), sent: true }));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var store = storage();
    if (!store) { return; }
    var forms = document.querySelectorAll("form[data-draft]");
    var here = {};
    Array.prototype.forEach.call(forms, function (form) { here[PREFIX + form.getAttribute("data-draft")] = true; });
    // A form that was sent and is not on the page that followed was saved: its draft is done.
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0 && !here[key]) {
        var draft = read(store, key);
        if (!draft || draft.sent) { store.removeItem(key); }
      }
    }
    Array.prototype.forEach.call(forms, function (form) { setUp(store, form); });
  });
}());
