"""A books file from upload to preview: stored by hash, read by the core, described for the page.

Why the preview is computed once and stored on the `BooksUpload` row: a 100,000-row journal
takes a second or more to read, so it is read by a task (keiei_web.jobs) while the page says
「処理中」; the confirmation then stores the previewed figures without reading the file again, so
what the adviser confirms is exactly what they saw, and confirming is fast.

Nothing here writes actuals: the preview lives on the upload row until `services.confirm`.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from keiei.errors import KeieiInputError, Severity
from keiei.monitoring import LABELS, Actuals, import_books, load_mapping
from keiei.monitoring import lines as plan_lines
from keiei.monitoring.merge import merge_actuals
from keiei.monitoring.source import ENCODING_LABELS, MAX_BOOK_BYTES
from keiei_web.monitoring.models import ActualsImport, BooksUpload

log = logging.getLogger(__name__)

#: The largest upload the web accepts: the core's own bound (refused before reading the body).
MAX_UPLOAD_BYTES = MAX_BOOK_BYTES
#: A mapping file is a few lines of YAML.
MAX_MAPPING_BYTES = 256 * 1024
#: The merge findings that make a file unusable with the case's earlier imports.
BLOCKING_MERGE = frozenset(
    {"monitor.other_company", "monitor.other_fiscal_year", "monitor.outside_plan", "monitor.month_twice",
     "monitor.span_crosses_year"}
)  # fmt: skip


def too_large_message(size: int) -> str:
    return _(
        "ファイルが大きすぎます（%(size)s バイト）。会計データは %(mb)d MB までです。月ごと・年度ごとに分けて書き出してください。"
    ) % {
        "size": f"{size:,}",
        "mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }


def store_bytes(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    """Store an upload in the `default` storage under its SHA-256; (storage name, sha256, size).

    The bytes go to a temporary file first (hashed on the way), so a 100 MB upload is never held
    in memory; the same file uploaded twice is stored once."""
    digest, size = hashlib.sha256(), 0
    with tempfile.TemporaryFile() as tmp:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            tmp.write(chunk)
        sha = digest.hexdigest()
        name = f"monitoring/books/{sha[:2]}/{sha}"
        if not default_storage.exists(name):
            tmp.seek(0)
            default_storage.save(name, File(tmp, name=sha))
    return name, sha, size


def _name_key(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _finding_rows(findings: Iterable[dict[str, Any]], codes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    wanted = set(codes) if codes is not None else None
    return [f for f in findings if wanted is None or f.get("code") in wanted]


def describe(actuals: Actuals) -> dict[str, Any]:
    """What the preview page shows of one read file (the mapping by plan line, unmapped
    accounts, reconciliation, rows not used); JSON, integer yen."""
    data = actuals.as_dict()
    findings = data["findings"]
    by_line: list[dict[str, Any]] = []
    for key in plan_lines.ALL_KEYS:
        accounts = [a for a in data["accounts"] if a["line"] == key]
        if accounts:
            by_line.append(
                {"key": key, "label": plan_lines.label(key), "accounts": accounts,
                 "total": sum(int(a["amount"]) for a in accounts)}
            )  # fmt: skip
    unmapped = [a for a in data["accounts"] if a["line"] is None and a["source"] != "clearing"]
    reconciliation = next((f for f in findings if f["code"] in ("actuals.reconciled", "actuals.not_reconciled")), None)
    rejected = [f for f in findings if f["code"].startswith("books.") or f["code"] in (
        "actuals.voucher_unbalanced", "actuals.bs_unbalanced", "actuals.flows_unbalanced")]  # fmt: skip
    source = data["source"]
    return {
        "format": source["format"],
        "format_label": LABELS.get(source["format"], source["format"]),
        "encoding": ENCODING_LABELS.get(source["encoding"], source["encoding"]),
        "size": source["size"],
        "rows_read": source["rows_read"],
        "rows_used": source["rows_used"],
        "rows_rejected": source["rows_rejected"],
        "months": [
            {"month": p["month"], "first": p.get("first", p["month"]), "sales": p["pl"].get("sales", 0)}
            for p in data["periods"]
        ],
        "by_line": by_line,
        "unmapped": unmapped,
        "reconciliation": reconciliation,
        "rejected": rejected,
        "errors": [f for f in findings if f["severity"] == Severity.ERROR.value],
        "warnings": [
            f for f in findings if f["severity"] == Severity.WARNING.value and f["code"] != "actuals.unmapped"
        ],
        "company": data.get("company"),
    }


def _earlier_files(upload: BooksUpload) -> list[tuple[str, Actuals]]:
    """The latest confirmed import of each *other* session up to this one (a new version in the
    same session replaces that session's earlier one for the comparison; both stay stored)."""
    from keiei_web.monitoring.reports import latest_imports

    return [
        (f"第{imp.number}版 {imp.filename}", actuals_of(imp))
        for imp in latest_imports(upload.case, upload.session.seq)
        if imp.session_id != upload.session_id
    ]


def actuals_of(imp: ActualsImport) -> Actuals:
    from keiei.monitoring.actuals import actuals_from_dict

    return actuals_from_dict(imp.actuals, f"第{imp.number}版")


def read_upload(upload_id: int) -> str:
    """Read an upload with the core and store its preview (the task's body; idempotent)."""
    from keiei_web.monitoring.reports import agreed_plan

    upload = BooksUpload.objects.select_related("case", "session").filter(pk=upload_id).first()
    if upload is None:
        return "missing"
    if upload.status in (BooksUpload.Status.READY, BooksUpload.Status.FAILED, BooksUpload.Status.CONFIRMED):
        return str(upload.status)
    BooksUpload.objects.filter(pk=upload.pk).update(status=BooksUpload.Status.READING)
    found = agreed_plan(upload.case)
    if found is None:
        return _fail(upload, _("合意した計画（提出した版）がないため、実績と比べられません。"))
    plan, version = found
    suffix = Path(upload.filename).suffix[:10]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"books{suffix}"
            with default_storage.open(upload.storage_name, "rb") as src, path.open("wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    dst.write(chunk)
            mapping = None
            if upload.mapping.strip():
                mapping_path = Path(tmp) / "mapping.yaml"
                mapping_path.write_text(upload.mapping, encoding="utf-8")
                mapping = load_mapping(mapping_path, "対応表")
            actuals = import_books(path, plan, upload.fmt, mapping)
    except KeieiInputError as exc:
        return _fail(upload, exc.message_ja)
    except FileNotFoundError:
        return _fail(upload, _("アップロードしたファイルが見つかりません。もう一度アップロードしてください。"))
    preview = describe(actuals)
    blocking = [f["message"] for f in preview["errors"]]
    if preview["unmapped"] and not upload.allow_unmapped:
        blocking.append(
            _(
                "計画のどの行にも対応しない勘定科目が %(n)d 件あります。対応表で行を指定するか、「対応のない科目を除いて取り込む」を選んでください。"
            )
            % {"n": len(preview["unmapped"])}
        )
    company = actuals.company
    if company and _name_key(company) != _name_key(plan.company.name):
        blocking.append(
            _("ファイルの会社名「%(file)s」が計画の会社名「%(plan)s」と違います。別の会社のファイルではありませんか。")
            % {"file": company, "plan": plan.company.name}
        )
    name = f"{upload.filename}（今回）"
    merged = merge_actuals(plan, [*_earlier_files(upload), (name, actuals)])
    merge_findings = [
        f.as_dict() for f in merged.findings if f.code in BLOCKING_MERGE and (f.where or "").startswith(name)
    ]
    blocking.extend(str(f["message"]) for f in merge_findings)
    same = ActualsImport.objects.filter(sha256=upload.sha256).select_related("session").first()
    if same is not None and same.case_id == upload.case_id:
        blocking.append(
            _("同じファイル（SHA-256 %(hash)s）は第%(n)d版として第%(seq)d回に取り込み済みです。")
            % {"hash": upload.sha256[:12], "n": same.number, "seq": same.session.seq}
        )
    elif same is not None:
        blocking.append(_("同じファイルが別の案件で取り込まれています。別の会社のファイルではありませんか。"))
    preview.update(
        {"blocking": blocking, "merge": merge_findings, "plan_version": version, "actuals": actuals.as_dict()}
    )
    BooksUpload.objects.filter(pk=upload.pk).update(status=BooksUpload.Status.READY, preview=preview, error="")
    return "ready"


def _fail(upload: BooksUpload, message: str) -> str:
    BooksUpload.objects.filter(pk=upload.pk).update(status=BooksUpload.Status.FAILED, error=message)
    return "failed"
