"""What a round is made of. Models hold data and invariants; workflows are in services."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from maturity.web.messages import lazy_msg


class Unit(models.Model):
    """An administrative unit of the platform's registry (a province or a commune)."""

    id = models.CharField(primary_key=True, max_length=16)
    name = models.CharField(max_length=200)
    tier = models.CharField(max_length=32, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    type = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name = lazy_msg("model.unit")
        verbose_name_plural = lazy_msg("model.units")

    def __str__(self) -> str:
        return f"{self.id} {self.name}"


class Framework(models.Model):
    """A framework version, stored by digest with its files, so a round that used it can be
    scored again exactly. Immutable: a changed rule file is a new digest."""

    digest = models.CharField(primary_key=True, max_length=71)
    framework_id = models.CharField(max_length=100)
    version = models.CharField(max_length=50)
    title_vi = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    manifest = models.CharField(max_length=300)
    units_file = models.CharField(max_length=300)
    files = models.JSONField()
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["framework_id", "version"]
        verbose_name = lazy_msg("model.framework")
        verbose_name_plural = lazy_msg("model.frameworks")

    def __str__(self) -> str:
        return f"{self.framework_id} {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("a stored framework is immutable")
        super().save(*args, **kwargs)


class RoundStatus(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class Round(models.Model):
    """One evaluation: a framework version, a period, an opening and a deadline."""

    code = models.SlugField(unique=True, max_length=64)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    period = models.CharField(max_length=32)
    opens_at = models.DateTimeField()
    deadline = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN, db_index=True
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_rounds"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # digests of the publication (its documents are in Publication, read only when asked)
    export_sha256 = models.CharField(max_length=64, blank=True)
    results_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering: ClassVar = ["-opens_at", "code"]
        verbose_name = lazy_msg("model.round")
        verbose_name_plural = lazy_msg("model.rounds")

    def __str__(self) -> str:
        return self.code

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED


class Publication(models.Model):
    """What a published round was scored from and what it gave: the exported values (a
    canonical submission table) and the result JSON scored from exactly those bytes, in both
    languages. Apart from the round so that listing rounds never reads megabytes."""

    round = models.OneToOneField(
        Round, primary_key=True, on_delete=models.PROTECT, related_name="publication"
    )
    export_name = models.CharField(max_length=100)
    export = models.BinaryField()
    results_en = models.TextField()
    results_vi = models.TextField()

    class Meta:
        verbose_name = lazy_msg("model.publication")
        verbose_name_plural = lazy_msg("model.publications")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    VERIFIED = "verified"
    PUBLISHED = "published"


class Submission(models.Model):
    """The values one unit reports in one round: as written (by people and by machines) and
    as read by the library. ``version`` is the optimistic lock: every change names the
    version it started from and fails if another change came first."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField(default=1)
    values = models.JSONField(default=dict)  # typed by the unit, as written
    automatic = models.JSONField(default=dict)  # pushed by machine clients, as written
    not_applicable = models.JSONField(default=dict)  # indicator id -> reason
    read = models.JSONField(default=dict)  # accepted numbers (self-assessed), by input id
    errors = models.PositiveIntegerField(default=0)  # error diagnostics when last read
    warnings = models.PositiveIntegerField(default=0)
    comment = models.TextField(blank=True)  # the latest return comment
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["round", "unit"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_submission_per_unit")
        ]
        verbose_name = lazy_msg("model.submission")
        verbose_name_plural = lazy_msg("model.submissions")

    def __str__(self) -> str:
        return f"{self.round_id}/{self.unit_id}"


class Verification(models.Model):
    """An evaluator's value for one input, with the reason; the latest per input counts."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="verifications"
    )
    input = models.CharField(max_length=100)
    written = models.JSONField()  # as the evaluator wrote it
    value = models.FloatField()  # as the library read it
    self_assessed = models.JSONField(null=True)  # what the unit had written
    reason = models.TextField()
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["submission", "input", "at", "id"]
        verbose_name = lazy_msg("model.verification")
        verbose_name_plural = lazy_msg("model.verifications")


class Evidence(models.Model):
    """A file supporting one input, stored once by content (``sha256``) in the data folder."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="evidence")
    input = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    uploaded_by = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["submission", "input", "at", "id"]
        verbose_name = lazy_msg("model.evidence")
        verbose_name_plural = lazy_msg("model.evidences")


class UnitResult(models.Model):
    """A unit's published result: the ranking columns (a narrow row, so a national ranking
    reads fast) and what it was scored from (framework digest, input hash). Its record of
    the result JSON, in both languages, is in :class:`ResultRecord`."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="results")
    tier = models.CharField(max_length=32)
    province = models.CharField(max_length=16, blank=True, db_index=True)
    score = models.FloatField(null=True)
    max_score = models.FloatField(null=True)
    level = models.PositiveSmallIntegerField(null=True)
    rank = models.PositiveIntegerField(null=True)
    rank_in_parent = models.PositiveIntegerField(null=True)
    coverage = models.FloatField(null=True)
    level_name_vi = models.CharField(max_length=100, blank=True)
    level_name_en = models.CharField(max_length=100, blank=True)
    framework_digest = models.CharField(max_length=71)
    inputs_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering: ClassVar = ["round", "tier", "rank", "unit"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_result_per_unit")
        ]
        indexes: ClassVar = [models.Index(fields=["round", "tier", "rank"])]
        verbose_name = lazy_msg("model.result")
        verbose_name_plural = lazy_msg("model.results")


class ResultRecord(models.Model):
    """A unit's record of the published result JSON, as ``maturity score`` writes it."""

    result = models.OneToOneField(
        UnitResult, primary_key=True, on_delete=models.PROTECT, related_name="records"
    )
    record_vi = models.JSONField()
    record_en = models.JSONField()

    class Meta:
        verbose_name = lazy_msg("model.record")
        verbose_name_plural = lazy_msg("model.records")
