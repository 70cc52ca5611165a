"""Frameworks stored by digest, the platform's unit registry, and the loaded engine of each."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from maturity.web import engine
from maturity.web.errors import PlatformError
from maturity.web.evaluation.models import Framework, Unit


def register_framework(path: Path) -> Framework:
    """Store the framework at ``path`` (and, for the first one, its units as the platform's
    registry). Idempotent: the same files give the same digest and the stored row."""
    bundle = engine.bundle_of(path)
    found = Framework.objects.filter(pk=bundle.digest).first()
    if found is not None:
        return found
    first = Framework.objects.order_by("registered_at").only("units_file", "files").first()
    if first is not None and first.files.get(first.units_file) != bundle.files[bundle.units]:
        raise PlatformError(
            "framework.registry", framework=bundle.framework_id, registry=first.units_file
        )
    with transaction.atomic():
        stored = Framework.objects.create(
            digest=bundle.digest,
            framework_id=bundle.framework_id,
            version=bundle.version,
            title_vi=bundle.title_vi,
            title_en=bundle.title_en,
            manifest=bundle.manifest,
            units_file=bundle.units,
            files=bundle.files,
        )
        if first is None:
            _sync_units(handle_for(stored.digest))
    return stored


def register_bundled() -> Framework:
    """The bundled national framework, stored on first start (its files are read once per
    process: they do not change under a running server)."""
    known = _bundled.get("digest")
    if known is not None:
        found = Framework.objects.filter(pk=known).first()
        if found is not None:
            return found
    stored = register_framework(engine.default_framework_path())
    _bundled["digest"] = stored.digest
    return stored


_bundled: dict[str, str] = {}


def handle_for(digest: str) -> engine.FrameworkHandle:
    """The loaded framework of a stored digest (loaded once per process)."""
    handle = engine.loaded_framework(digest)
    if handle is not None:
        return handle
    stored = Framework.objects.filter(pk=digest).first()
    if stored is None:
        raise PlatformError("framework.unknown", status=404, digest=digest)
    bundle = engine.Bundle(
        digest=stored.digest,
        framework_id=stored.framework_id,
        version=stored.version,
        title_vi=stored.title_vi,
        title_en=stored.title_en,
        manifest=stored.manifest,
        units=stored.units_file,
        files=stored.files,
    )
    try:
        return engine.open_framework(digest, bundle, Path(settings.DATA_DIR) / "frameworks")
    except engine.EngineError:
        raise PlatformError("framework.changed", status=500, digest=digest) from None


def _sync_units(handle: engine.FrameworkHandle) -> None:
    rows = handle.units()  # parents first
    Unit.objects.bulk_create(
        [Unit(id=i, name=n, tier=t, parent_id=p, type=k) for i, n, t, p, k in rows],
        batch_size=500,
    )
