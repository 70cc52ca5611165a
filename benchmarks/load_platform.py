"""Load test of the platform: a deadline hour on loopback, bounded, stopping by itself.

    .venv/bin/python benchmarks/load_platform.py                    # SQLite (a fresh data folder)
    MATURITY_PG_COMMAND='.venv/bin/python benchmarks/load_platform.py' MATURITY_PG_FSYNC=on \
        .ci/postgres.sh                                             # the same on PostgreSQL

What it does, against ``maturity serve`` started here on 127.0.0.1 (2 workers):

1. setup (not timed as load): an evaluator, one officer per unit (3,355) with an API token,
   a previous round with the national example's values, published through the platform's
   own service (its duration is printed: export, score twice, store);
2. the deadline hour of the next round: every unit reads its submission, saves its own values
   (about 90 on average: 59 per commune, 122 per province), and submits; a machine client
   pushes the automatic inputs in batches; evaluators read the stored national rankings and
   the round's progress all along;
3. prints requests per second, p50/p95/p99 latency and errors per kind of request.

A 422 on submit is the reader refusing a value the national example gets wrong on purpose
(counted apart, not an error); any other 4xx, every 5xx and every failed connection is.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = ROOT / "examples" / "national" / "submissions.csv"


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.expected: dict[str, int] = defaultdict(int)

    def add(
        self, kind: str, seconds: float, status: int, ok: tuple[int, ...], body: bytes = b""
    ) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if status == 422 and kind == "submit":
                self.expected[kind] += 1
            elif status not in ok:
                self.errors[kind].append(f"{status} {body[:200]!r}")


class Client:
    """One keep-alive connection to the server, as one browser or script would hold."""

    def __init__(self, port: int, token: str, rec: Recorder) -> None:
        self.port, self.token, self.rec = port, token, rec
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(
        self, kind: str, method: str, path: str, body: Any = None, ok: tuple[int, ...] = (200,)
    ) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "vi"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self.rec.add(kind, time.perf_counter() - started, 0, ok)
            self.rec.errors[kind].append(type(exc).__name__)
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, None
        self.rec.add(kind, time.perf_counter() - started, status, ok, raw)
        return status, json.loads(raw) if raw and status < 500 else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def national_rows() -> list[dict[str, str]]:
    with NATIONAL.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def setup(data: Path) -> dict[str, Any]:
    """Accounts, tokens and a published previous round, straight through the services."""
    from maturity.web.commands import setup as platform_setup

    platform_setup(data, os.environ.get("MATURITY_DATABASE_URL"), "en")
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.utils import timezone

    from maturity.web.accounts.models import ApiToken, Profile
    from maturity.web.accounts.services import _hash, actor_of, add_user
    from maturity.web.evaluation import rounds
    from maturity.web.evaluation.frameworks import handle_for, register_bundled
    from maturity.web.evaluation.models import Submission, SubmissionStatus, Unit

    fw = register_bundled()
    inputs = handle_for(fw.digest).inputs()
    evaluator = actor_of(add_user("evaluator", "benchmark-password", "evaluator"))
    assert evaluator.user is not None  # an evaluator is a signed-in person
    units = {u.id: u for u in Unit.objects.all()}
    people = User.objects.bulk_create(
        [User(username=f"officer-{uid}", password="!") for uid in units], batch_size=1000
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=p, role=f"{units[p.username[8:]].tier}_officer", unit=units[p.username[8:]]
            )
            for p in people
        ],
        batch_size=1000,
    )
    tokens = {p.username[8:]: f"bench-{p.username[8:]}" for p in people}
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                name="bench",
                kind="personal",
                key_sha256=_hash(tokens[p.username[8:]]),
                prefix="bench",
                user=p,
            )
            for p in people
        ],
        batch_size=1000,
    )
    ApiToken.objects.create(
        name="npsp",
        kind="machine",
        key_sha256=_hash("bench-machine"),
        prefix="bench",
        user=evaluator.user,
    )
    ApiToken.objects.create(
        name="eval",
        kind="personal",
        key_sha256=_hash("bench-evaluator"),
        prefix="bench",
        user=evaluator.user,
    )
    now = timezone.now()
    rows = national_rows()
    work: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for row in rows:
        uid = row["unit"]
        tier = units[uid].tier
        typed = {
            k: v
            for k, v in row.items()
            if k in inputs
            and v != ""
            and tier in inputs[k].tiers
            and inputs[k].source != "automatic"
        }
        auto = {
            k: v
            for k, v in row.items()
            if k in inputs
            and v != ""
            and tier in inputs[k].tiers
            and inputs[k].source == "automatic"
        }
        work[uid] = (typed, auto)
    previous = rounds.create_round(
        evaluator,
        code="2025-q2",
        period="2025-Q2",
        opens_at=now - timedelta(days=100),
        deadline=now - timedelta(days=10),
        framework=fw,
    )
    Submission.objects.bulk_create(
        [
            Submission(
                round=previous,
                unit=units[uid],
                values=t,
                automatic=a,
                status=SubmissionStatus.SUBMITTED,
            )
            for uid, (t, a) in work.items()
        ],
        batch_size=500,
    )
    started = time.perf_counter()
    rounds.publish(evaluator, previous)
    published = time.perf_counter() - started
    rounds.create_round(
        evaluator,
        code="2025-q3",
        period="2025-Q3",
        opens_at=now - timedelta(days=1),
        deadline=now + timedelta(days=1),
        framework=fw,
        previous=previous,
    )
    from django.db import connections

    connections.close_all()
    return {"tokens": tokens, "work": work, "publish_seconds": published}


# open load it measures; split, its shared timing state would travel through every part
def deadline_hour(  # noqa: C901
    port: int, state: dict[str, Any], minutes: float, readers: int, limit: float
) -> tuple[Recorder, float]:
    """Every unit starts its session at its own moment, evenly over ``minutes`` (an open
    load: a slow answer does not slow the arrivals down); each reads, saves, submits, and
    on a 409 (someone changed the submission meanwhile) reads again and retries."""
    rec = Recorder()
    work: dict[str, tuple[dict[str, str], dict[str, str]]] = state["work"]
    units = sorted(work)
    stop = threading.Event()
    started = time.perf_counter()
    gap = minutes * 60 / len(units)

    def unit_session(uid: str) -> None:
        if stop.is_set():
            return
        c = Client(port, state["tokens"][uid], rec)
        path = f"/api/v1/rounds/2025-q3/submissions/{uid}"
        for _ in range(5):
            status, sub = c.call("get submission", "GET", path)
            version = sub["version"] if status == 200 else 0
            status, saved = c.call(
                "save draft",
                "PUT",
                path,
                {"version": version, "values": work[uid][0]},
                ok=(200, 409),
            )
            if status == 200:
                status, _ = c.call(
                    "submit", "POST", path + "/submit", {"version": saved["version"]}, ok=(200, 409)
                )
            if status != 409:
                break
            rec.expected["retried after 409"] += 1
        c.conn.close()

    def machine() -> None:
        for i in range(0, len(units), 100):
            if stop.is_set():
                break
            c = Client(port, "bench-machine", rec)  # a new connection per batch, as a cron job
            batch = {u: work[u][1] for u in units[i : i + 100] if work[u][1]}
            c.call(
                "automatic (100 units)",
                "POST",
                "/api/v1/rounds/2025-q3/automatic",
                {"units": batch},
            )
            time.sleep(max(0.0, 100 * gap - 0.5))  # the feed keeps pace with the units

    def evaluator() -> None:
        c = Client(port, "bench-evaluator", rec)
        while not stop.is_set():
            c.call("ranking, 3,321 communes", "GET", "/api/v1/rounds/2025-q2/ranking?tier=commune")
            c.call("ranking, 34 provinces", "GET", "/api/v1/rounds/2025-q2/ranking?tier=province")
            c.call("round progress", "GET", "/api/v1/rounds/2025-q3/summary")
            time.sleep(2.0)  # a person looking at the page before refreshing it

    watchdog = threading.Timer(limit, stop.set)
    watchdog.start()
    side = [threading.Thread(target=evaluator) for _ in range(readers)]
    side.append(threading.Thread(target=machine))
    for t in side:
        t.start()
    with ThreadPoolExecutor(max_workers=256) as pool:
        for n, uid in enumerate(units):
            delay = started + n * gap - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            if stop.is_set():
                break
            pool.submit(unit_session, uid)
    stop.set()
    watchdog.cancel()
    for t in side:
        t.join(timeout=60)
    return rec, time.perf_counter() - started


def report(rec: Recorder, seconds: float, database: str, publish: float) -> str:
    load = os.getloadavg()[0]
    lines = [
        f"database: {database}; the round took {seconds:.1f} s; publishing the previous "
        f"national round (3,355 units): {publish:.1f} s; load average now {load:.1f}"
    ]
    header = (
        f"{'request':28} {'count':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} errors"
    )
    lines.append(header)
    total = 0
    all_times: list[float] = []
    for kind, times in rec.times.items():
        ms = sorted(t * 1000 for t in times)
        q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
        errors = len(rec.errors.get(kind, []))
        extra = (
            f" (+{rec.expected[kind]} refused by the reader, expected)"
            if rec.expected.get(kind)
            else ""
        )
        if kind == "save draft" and rec.expected.get("retried after 409"):
            extra += f" ({rec.expected['retried after 409']} sessions retried after a 409)"
        lines.append(
            f"{kind:28} {len(ms):6d} {len(ms) / seconds:7.1f} {q[49]:7.1f} {q[94]:7.1f} "
            f"{q[98]:7.1f} {errors}{extra}"
        )
        total += len(ms)
        all_times += ms
    q = statistics.quantiles(sorted(all_times), n=100, method="inclusive")
    errors = sum(len(v) for v in rec.errors.values())
    lines.append(
        f"{'all':28} {total:6d} {total / seconds:7.1f} {q[49]:7.1f} {q[94]:7.1f} "
        f"{q[98]:7.1f} {errors}"
    )
    for kind, errs in rec.errors.items():
        if errs:
            lines.append(f"  {kind}: {len(errs)} errors, e.g. {errs[:2]}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--minutes",
        type=float,
        default=10,
        help="every unit starts within this many minutes (the deadline hour "
        "compressed: 10 minutes is six times the pace of a real one)",
    )
    parser.add_argument("--readers", type=int, default=4, help="evaluators reading rankings")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--limit", type=float, default=900, help="stop after this many seconds")
    args = parser.parse_args()
    database = "postgresql" if os.environ.get("MATURITY_DATABASE_URL") else "sqlite"
    with tempfile.TemporaryDirectory(prefix="maturity-load-") as tmp:
        data = Path(tmp) / "data"
        os.environ["MATURITY_DATA_DIR"] = str(data)
        state = setup(data)
        port = free_port()
        command = [
            sys.executable,
            "-c",
            "from maturity.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--data",
            str(data),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--no-access-log",
        ]
        log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 (closed below)
        server = subprocess.Popen(command, stderr=log)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            rec, seconds = deadline_hour(port, state, args.minutes, args.readers, args.limit)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
            errors = [
                ln
                for ln in (Path(tmp) / "server.log").read_text().splitlines()
                if "Error" in ln or "error" in ln
            ]
            if errors:
                print("server errors:", *errors[-10:], sep="\n  ")
    print(report(rec, seconds, database, state["publish_seconds"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
