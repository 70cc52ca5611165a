"""A framework as it was at a git revision (``maturity diff --base-rev REV MANIFEST``).

The revision's tree is unpacked with ``git archive`` into a temporary folder, so the manifest
reads its rule files, units and include roots exactly as they were at that revision (and the
loader's containment rules apply to the copy as to the working tree). Nothing in the working
tree is touched; the folder is removed when the command ends.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from maturity.errors import UsageError, display_path
from maturity.i18n import t


@dataclass(frozen=True)
class Revision:
    """A resolved revision of the repository holding a manifest."""

    name: str  # as the user wrote it (HEAD~1, main, a tag)
    commit: str
    root: Path  # the repository's top folder
    manifest: str  # the manifest's path inside the repository (POSIX)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise UsageError(t("diff.git.no_git"))
    return subprocess.run([git, "-C", str(root), *args], capture_output=True, check=False)


def resolve(rev: str, manifest: Path) -> Revision:
    """The revision ``rev`` of the repository that holds ``manifest``, checked: a repository,
    a known revision, a manifest that exists in it."""
    if rev.startswith("-"):  # never an option of git's
        raise UsageError(t("diff.git.unknown_rev", rev=rev, root=display_path(manifest.parent)))
    folder = manifest.resolve().parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UsageError(t("diff.git.not_repo", path=display_path(manifest)))
    root = Path(top.stdout.decode("utf-8").strip()).resolve()
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode != 0:
        raise UsageError(t("diff.git.unknown_rev", rev=rev, root=display_path(root)))
    commit = found.stdout.decode("ascii").strip()
    inside = manifest.resolve().relative_to(root).as_posix()
    if _git(root, "cat-file", "-e", f"{commit}:{inside}").returncode != 0:
        raise UsageError(t("diff.git.not_in_rev", path=inside, rev=rev))
    return Revision(rev, commit, root, inside)


def is_revision(rev: str, near: Path) -> bool:
    """Whether ``rev`` names a commit of the repository holding ``near`` (False outside one)."""
    if rev.startswith("-") or shutil.which("git") is None:
        return False
    top = _git(near.resolve().parent, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return False
    root = Path(top.stdout.decode("utf-8").strip())
    return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode == 0


@contextmanager
def checkout(revision: Revision) -> Iterator[Path]:
    """The manifest of ``revision`` in a temporary copy of that revision's tree."""
    archive = _git(revision.root, "archive", "--format=tar", revision.commit)
    if archive.returncode != 0:  # pragma: no cover - the revision was just resolved
        why = archive.stderr.decode("utf-8", "replace").strip()
        raise UsageError(t("diff.git.failed", what="archive", why=why))
    with tempfile.TemporaryDirectory(prefix="maturity-rev-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / revision.manifest
