"""Read a form's fields out of a page, as a browser would submit them (tests only).

Inputs inside <template> are not submitted (they are row templates for plan-editor.js);
disabled inputs are not submitted; a select submits its selected option or its first one.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormParser(HTMLParser):
    def __init__(self, form_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_class = form_class
        self.in_form = False
        self.template_depth = 0
        self.fields: list[tuple[str, str]] = []
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and self.form_class in a.get("class", "").split():
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.template_depth += 1
        if self.template_depth:
            return
        disabled = "disabled" in a
        if tag == "input" and a.get("name") and not disabled:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button", "file"}:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name") and not disabled:
            self._select = {"name": a["name"], "options": [], "selected": None}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and a.get("name") and not disabled:
            self._textarea = {"name": a["name"], "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if not self.in_form:
            return
        if tag == "template":
            self.template_depth -= 1
            return
        if self.template_depth:
            return
        if tag == "form":
            self.in_form = False
        elif tag == "option" and self._select is not None and self._option is not None:
            opt = self._option
            value = opt["value"] if opt["value"] is not None else opt["text"]
            self._select["options"].append(value)
            if opt["selected"]:
                self._select["selected"] = value
            self._option = None
        elif tag == "select" and self._select is not None:
            s = self._select
            chosen = s["selected"] if s["selected"] is not None else (s["options"][0] if s["options"] else "")
            self.fields.append((s["name"], chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            self.fields.append((self._textarea["name"], text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data


def form_fields(html: str, form_class: str = "plan-form") -> dict[str, str]:
    """The fields the form would submit (name → value; the last one wins for repeated names)."""
    parser = _FormParser(form_class)
    parser.feed(html)
    return dict(parser.fields)
