"""Reading and writing the monitoring YAML files (actuals.yaml, the company's mapping file)
within keiei.limits, like the plan loader: size first, nodes and depth while composing, the
structure after. Dates stay text and floats are refused where yen are expected by the callers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from keiei import limits
from keiei.errors import KeieiInputError


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that stops at `limits.MAX_NODES` nodes or `MAX_DEPTH` levels while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._nodes += 1
        self._depth += 1
        try:
            if self._nodes > limits.MAX_NODES:
                raise limits.too_many_nodes()
            if self._depth > limits.MAX_DEPTH + 1:
                raise limits.too_deep()
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: str | Path, field: str) -> Any:
    """The data of a YAML (or JSON) file, or a KeieiInputError naming `field` and the line."""
    where = Path(path)
    try:
        raw = where.read_bytes()
    except OSError as exc:
        raise KeieiInputError(
            field, f"ファイルを読めません（{exc.strerror}）: {where}", f"cannot read: {exc}"
        ) from None
    if len(raw) > limits.MAX_BYTES:
        raise limits.too_large(field, len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KeieiInputError(field, "文字コードを UTF-8 にして保存してください", "not UTF-8") from None
    try:
        data = yaml.load(text, Loader=_BoundedLoader)
    except limits.LimitError as exc:
        raise KeieiInputError(field, exc.message_ja, exc.message_en) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{mark.line + 1} 行目" if mark is not None else ""
        raise KeieiInputError(
            f"{field}: {at}".rstrip(": "), f"YAML として読めません（{exc}）".splitlines()[0], f"bad YAML: {exc}"
        ) from None
    limits.check_structure(data, field)
    return data


def dump_yaml(data: Any) -> str:
    """YAML people can read: Japanese as is, keys in the order given."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)
