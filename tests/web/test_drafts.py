"""The browser keeps a draft of an unsaved form (web/static/web/drafts.js), offers it back after a reload and
drops it once saved. The script runs under node against a small stand-in for the page; the pages are checked
to carry what it needs (no inline script: the CSP forbids it)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

import fazhi

SCRIPT = Path(fazhi.__file__).parent / "web" / "static" / "web" / "drafts.js"

HARNESS = r"""
const vm = require("vm"), fs = require("fs");
const source = fs.readFileSync(process.argv[2], "utf8");
const data = {};
const storage = {
  getItem: k => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); },
  removeItem: k => { delete data[k]; }, key: i => Object.keys(data)[i] ?? null,
  get length() { return Object.keys(data).length; },
};
function listeners() { const l = {}; return { on: (t, f) => (l[t] = l[t] || []).push(f), fire: t => (l[t] || []).forEach(f => f()) }; }
function page(formValues) {
  // One page load: a form (or none) with a notice, then DOMContentLoaded.
  const doc = listeners(), form = listeners(), restore = listeners(), discard = listeners();
  const el = (name, value, extra) => Object.assign({ name, value, type: "text", disabled: false, checked: false,
                                                    hasAttribute: a => !!(extra && extra[a]) }, extra || {});
  const elements = formValues ? [el("csrfmiddlewaretoken", "t", { type: "hidden" }), el("summary", formValues.summary),
                                 el("party__id_number", formValues.id, { "data-draft-skip": true })] : [];
  const notice = { hidden: true, querySelector: s => ({ addEventListener: (t, f) =>
    (s === "[data-draft-restore]" ? restore : discard).on(t, f) }) };
  const formEl = { elements, getAttribute: () => "record-new-x", addEventListener: form.on };
  const document = { addEventListener: doc.on,
    querySelectorAll: () => (formValues ? [formEl] : []), querySelector: () => (formValues ? notice : null) };
  vm.runInNewContext(source, { window: { sessionStorage: storage }, document });
  doc.fire("DOMContentLoaded");
  return { elements, notice, form, restore, discard };
}
const out = [];
let p = page({ summary: "", id: "" });
out.push(p.notice.hidden);                                    // nothing to offer
p.elements[1].value = "邻里纠纷"; p.elements[2].value = "11010519491231002X"; p.form.fire("input");
out.push(JSON.parse(data["fazhi-draft:record-new-x"]).values); // the draft, without the 身份证号
p = page({ summary: "", id: "" });                             // an accidental reload
out.push(p.notice.hidden);
p.restore.fire("click");
out.push(p.elements[1].value);
p.form.fire("submit");
p = page(null);                                                // the page after a successful save
out.push(Object.keys(data));
p = page({ summary: "", id: "" }); p.elements[1].value = "甲"; p.form.fire("submit");
p = page({ summary: "甲", id: "" });                           // refused: the server shows what was typed
out.push(p.notice.hidden, Object.keys(data));
p = page({ summary: "" }); p.elements[1].value = "乙"; p.form.fire("change");
p = page({ summary: "" }); p.discard.fire("click");
out.push(Object.keys(data));
console.log(JSON.stringify(out));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is installed with the browser assets")
def test_a_draft_is_kept_offered_back_and_dropped_once_saved(tmp_path):
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    result = subprocess.run(["node", str(harness), str(SCRIPT)], capture_output=True, text=True, timeout=60,
                            check=True)
    hidden_at_first, draft, hidden_after_reload, restored, after_save, hidden_on_error, after_error, after_discard = (
        json.loads(result.stdout))
    assert hidden_at_first is True
    assert draft == {"summary": "邻里纠纷"}  # no 身份证号 in the browser's storage
    assert hidden_after_reload is False and restored == "邻里纠纷"
    assert after_save == []
    assert hidden_on_error is True and after_error == []
    assert after_discard == []


def test_the_forms_carry_a_draft_key_and_the_script_is_a_static_file(client, personas):
    client.force_login(personas.mediator)
    page = client.get(reverse("web:record_new", args=["people_mediation"])).content.decode()
    assert 'data-draft="record-new-people_mediation"' in page
    assert 'data-draft-notice="record-new-people_mediation"' in page
    assert "/static/web/drafts.js" in page and "<script>" not in page
    assert 'name="party__id_number"' in page and 'data-draft-skip="1"' in page
