"""Evidence files: checked (name, size, type by content, archives against bombs), stored
once by content hash in the data folder, recorded per input, served back as attachments."""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction

from maturity.web.access import Actor, allow
from maturity.web.audit.services import record
from maturity.web.errors import PlatformError
from maturity.web.evaluation.models import Evidence, Round, SubmissionStatus, Unit
from maturity.web.evaluation.submissions import check_open, get_or_create

# content type -> the file name endings it may carry
KINDS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "text/plain": (".txt", ".csv"),
}
MAX_NAME = 200
# an Office document is a zip: bounded in entries, in total unpacked size and in ratio
MAX_ENTRIES = 2000
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 100


def store_root() -> Path:
    return Path(settings.DATA_DIR) / "evidence"


def blob_path(sha256: str) -> Path:
    return store_root() / sha256[:2] / sha256[2:4] / sha256


def check_name(name: str) -> str:
    """A plain file name, or 422: no folders, no '..', no control or format characters.

    >>> check_name("Quyết định 12.pdf")
    'Quyết định 12.pdf'
    >>> check_name("../../etc/passwd")
    Traceback (most recent call last):
    ...
    maturity.web.errors.PlatformError: evidence.name
    """
    bad = (
        not name
        or len(name) > MAX_NAME
        or name in (".", "..")
        or name.startswith(".")
        or any(c in name for c in "/\\:")
        or any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name)
    )
    if bad:
        raise PlatformError("evidence.name", status=422, field="file", name=name[:MAX_NAME])
    return unicodedata.normalize("NFC", name)


def _zip_kind(fh: IO[bytes]) -> str:
    try:
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise PlatformError("evidence.archive", status=422, field="file", why="entries")
            total = 0
            for info in infos:
                total += info.file_size
                unsafe = info.filename.startswith(("/", "\\")) or ".." in info.filename.split("/")
                ratio = info.file_size / max(info.compress_size, 1)
                if (
                    unsafe
                    or total > MAX_UNPACKED
                    or (ratio > MAX_RATIO and info.file_size > 1 << 20)
                ):
                    raise PlatformError("evidence.archive", status=422, field="file", why="size")
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PlatformError("evidence.archive", status=422, field="file", why="zip") from None
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raise PlatformError("evidence.type", status=422, field="file", kind="zip")


def detect_kind(fh: IO[bytes]) -> str:
    """The content type from the content itself, never from the name or the client."""
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(fh)
        fh.seek(0)
        return kind
    sample = fh.read(64 * 1024)
    fh.seek(0)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not merely a character cut at the sample's end
            raise PlatformError("evidence.type", status=422, field="file", kind="binary") from None
    if b"\x00" in sample:
        raise PlatformError("evidence.type", status=422, field="file", kind="binary")
    return "text/plain"


def _store(fh: IO[bytes]) -> tuple[str, int]:
    """Write the content under its hash (atomically, once); (sha256, size)."""
    digest = hashlib.sha256()
    root = store_root()
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-")
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            fh.seek(0)
            while chunk := fh.read(1 << 16):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        target = blob_path(digest.hexdigest())
        if target.exists():
            os.unlink(tmp)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return digest.hexdigest(), size


def upload_evidence(
    actor: Actor,
    round: Round,
    unit: Unit,
    *,
    input: str,
    name: str,
    size: int,
    content: IO[bytes],
) -> Evidence:
    allow(actor, "edit", unit)
    check_open(round)
    limit = int(settings.EVIDENCE_MAX_BYTES)
    if size > limit:
        raise PlatformError("evidence.too_big", status=413, field="file", size=size, limit=limit)
    if size == 0:
        raise PlatformError("evidence.empty", status=422, field="file")
    name = check_name(name)
    kind = detect_kind(content)
    if not name.lower().endswith(KINDS[kind]):
        raise PlatformError("evidence.type", status=422, field="file", kind=kind)
    from maturity.web.evaluation.frameworks import handle_for

    info = handle_for(round.framework_id).inputs().get(input)
    if info is None or unit.tier not in info.tiers:
        raise PlatformError(
            "submission.unknown_input", status=422, field="input", input=input, tier=unit.tier
        )
    sha256, stored = _store(content)
    with transaction.atomic():
        sub = get_or_create(round, unit)
        if sub.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
            raise PlatformError(
                "submission.status", status=409, state=sub.status, allowed=["draft", "returned"]
            )
        evidence = Evidence.objects.create(
            submission=sub,
            input=input,
            sha256=sha256,
            size=stored,
            content_type=kind,
            name=name,
            uploaded_by=actor.label,
        )
        record(
            actor,
            "evidence.upload",
            f"evidence:{evidence.pk}",
            unit=unit,
            round=round,
            after={"input": input, "name": name, "sha256": sha256, "size": stored},
        )
    return evidence
