"""The platform's whole round through its pages, in Chromium, as its people do it: a fresh
``maturity serve`` (its own data folder, SQLite) and three accounts made with
``maturity users add``; after that, nothing but the browser. The ministry opens the round;
the commune official fills the form on a 360 px phone in Vietnamese numbers, sees a live
validation message and fixes it, saves, comes back, uploads evidence, submits; the province
returns it with a comment; the commune resubmits; the evaluator adjusts a value with a
reason, accepts and publishes after seeing the level distribution; the public reads the
national and the commune page. Along the way: screenshots at 360 and 1280 px, no horizontal
overflow, no request leaving the server, axe-core on every kind of page, the pages' weight,
and one step of the form done with the keyboard only (Tab, typing, Enter).

The server runs in its own process, so Playwright's sync API and Django never share a
thread (no DJANGO_ALLOW_ASYNC_UNSAFE)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from maturity.framework.bundled import default_framework
from maturity.framework.load import load_framework
from maturity.i18n.numbers import number

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-du-dai-1"
PHU_QUOI, VINH_LONG = "29611", "86"
PEOPLE = {
    "bo-tt": ["--role", "evaluator"],
    "vinh-long": ["--role", "province_officer", "--unit", VINH_LONG],
    "phu-quoi": ["--role", "commune_officer", "--unit", PHU_QUOI],
}
FORM = f"/rounds/2025-q3/units/{PHU_QUOI}"
MAX_PAGE_BYTES = 200 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _maturity(*args: str, env: dict[str, str], stdin: str | None = None) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "maturity", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[str]:
    """``maturity serve`` on a free loopback port with a fresh data folder, and its three
    accounts; the base URL."""
    data = tmp_path_factory.mktemp("platform-data")
    port = _free_port()
    env = {**os.environ, "MATURITY_DATA_DIR": str(data)}
    env.pop("MATURITY_DATABASE_URL", None)  # this journey is the SQLite one
    log = open(data / "server.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "maturity",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "4",
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:  # ready when it answers; a server that exits fails the test
            if server.poll() is not None:
                log.close()
                pytest.fail("maturity serve exited: " + (data / "server.log").read_text("utf-8"))
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as answer:
                    if json.load(answer)["status"] == "ok":
                        break
            except OSError:
                time.sleep(0.5)
        for name, role in PEOPLE.items():
            _maturity(
                "users", "add", name, *role, "--password-stdin", env=env, stdin=PASSWORD + "\n"
            )
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def phu_quoi_typed() -> dict[str, Any]:
    """What Phú Quới's official types: the example's values that are not pushed by systems."""
    fw = load_framework(default_framework())
    data = yaml.safe_load((ROOT / "examples" / "phu-quoi.yaml").read_text(encoding="utf-8"))
    return {k: v for k, v in data["values"].items() if fw.inputs[k].source != "automatic"}


def vi(value: Any) -> str:
    """A value as typed in Vietnamese: 77.352 and 49,5; yes/no and answers as picked."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return number(float(value), 6, "vi")


class Person:
    """One person at the browser: signs in on the pages, keeps every request and the size of
    every page, screenshots at their width."""

    def __init__(self, context: Any, base: str, shots: Path, width: int) -> None:
        context.clear_cookies()
        self.base, self.shots, self.width = base, shots, width
        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": 800})
        self.requests: list[str] = []
        self.weights: dict[str, int] = {}
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", self._weigh)

    def _weigh(self, response: Any) -> None:
        """A page's HTML as served, in bytes (its Content-Length; the platform does not
        compress). Only what the event carries is read: a call back into the browser from
        an event handler can wait on the very navigation that fired it."""
        if response.request.resource_type != "document" or response.status != 200:
            return
        self.weights[response.url] = int(response.headers.get("content-length", "-1"))

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def sign_in(self, name: str) -> None:
        self.go("/signin/")
        self.page.fill("#username", name)
        self.page.fill("#password", PASSWORD)
        self.page.get_by_role("button", name="Đăng nhập").click()
        self.page.wait_for_url(self.base + "/")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}-{self.width}.png"), full_page=True)
        scroll, inner = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll <= inner, (name, self.width, scroll)

    def axe(self, axe_source: str) -> list[Any]:
        self.page.evaluate(
            axe_source
        )  # through the devtools protocol: the page's CSP allows no other script
        found: list[Any] = self.page.evaluate(
            """async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                  values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
                return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                  .map(v => ({id: v.id, impact: v.impact,
                              nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }"""
        )
        return found

    def close(self) -> None:
        self.page.close()


def test_a_whole_round_in_the_browser(
    platform: str, browser: Any, screenshots: Path, axe_script: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    axe = axe_script.read_text(encoding="utf-8")
    people: list[Person] = []
    violations: dict[str, Any] = {}

    def person(name: str | None, width: int) -> Person:
        one = Person(browser, platform, screenshots, width)
        people.append(one)
        if name:
            one.sign_in(name)
        return one

    def check(one: Person, name: str) -> None:
        one.shot(name)
        found = one.axe(axe)
        if found:
            violations[name] = found

    # the ministry opens the round
    bo = person("bo-tt", 1280)
    check(bo, "home-evaluator")
    bo.page.fill("#code", "2025-q3")
    bo.page.fill("#period", "2025-Q3")
    bo.page.fill("#deadline", "2099-12-31")
    bo.page.get_by_role("button", name="Mở kỳ đánh giá").click()
    assert "Kỳ đánh giá 2025-q3 (2025-Q3)" in bo.page.inner_text("main")
    bo.close()

    # the commune official, on a phone
    values = phu_quoi_typed()
    xa = person("phu-quoi", 360)
    xa.page.get_by_role("link", name="Bản khai tự đánh giá của Xã Phú Quới").click()
    page = xa.page
    assert page.locator("h1").inner_text() == "Bản khai tự đánh giá của Xã Phú Quới"
    check(xa, "form-step-1")
    started = time.monotonic()
    typed = 0
    steps = page.locator("nav.steps li").count() - 1  # the last is the review
    first = page.locator("input[name^=v_]").first
    name = (first.get_attribute("name") or "")[2:]
    first.fill("12.3a")  # a typing slip: the live validation says what is wrong
    message = page.locator(f"#e_{name}")
    message.wait_for(state="visible")
    assert "không phải là số" in message.inner_text() or "số" in message.inner_text()
    check(xa, "form-live-error")
    first.fill("")
    for step in range(steps):
        fields = page.locator("[name^=v_]")
        for i in range(fields.count()):
            field = fields.nth(i)
            key = (field.get_attribute("name") or "")[2:]
            if key not in values:
                continue
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(vi(values[key]))
            else:
                field.fill(vi(values[key]))
            typed += 1
        if step == 0:  # the slip fixed: the message goes once the good value is read
            expect(message).to_have_text("")
        evidence = page.locator("input[type=file][name^=f_]")
        if step == 1 and evidence.count():
            pdf = tmp_path / "bien-ban.pdf"
            pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
            evidence.first.set_input_files(str(pdf))
        if step == 2:  # save, leave, come back: the draft is there
            page.get_by_role("button", name="Lưu bản nháp").click()
            assert "Đã lưu bản nháp" in page.inner_text("main")
            xa.go("/")
            page.get_by_role("link", name="Bản khai tự đánh giá của Xã Phú Quới").click()
            page.locator("nav.steps a").nth(step).click()
            filled = [f.input_value() for f in page.locator("input[name^=v_]").all()]
            assert any("." in v or "," in v for v in filled) or filled
            check(xa, "form-step-3")
        page.get_by_role("button", name="Lưu và tiếp tục").click()
    filling = time.monotonic() - started
    assert page.url.startswith(platform + FORM + "/review/")
    review = page.inner_text("main")
    assert "Đã điền đủ mọi chỉ tiêu." in review, review
    assert "Điểm tạm tính" in review
    check(xa, "review")
    assert "bien-ban.pdf" in xa.go(f"{FORM}/form/?step=1").inner_text("main")
    xa.go(f"{FORM}/review/")
    page.get_by_role("button", name="Nộp bản khai").click()
    assert "Đã nộp" in page.inner_text("main")
    xa.close()

    # the province returns it with a comment
    tinh = person("vinh-long", 1280)
    tinh.page.get_by_role("link", name="Các đơn vị cấp xã của Vĩnh Long").click()
    check(tinh, "province")
    tinh.page.fill(f"#c_{PHU_QUOI}", "Số máy tính chưa khớp biên bản.")
    tinh.page.locator(f"#c_{PHU_QUOI}").locator("..").get_by_role("button", name="Trả lại").click()
    assert "Đã trả lại Xã Phú Quới" in tinh.page.inner_text("main")
    tinh.close()

    # the commune sees why, and submits again
    xa = person("phu-quoi", 360)
    xa.go(f"{FORM}/review/")
    assert "Số máy tính chưa khớp biên bản." in xa.page.inner_text("main")
    xa.page.get_by_role("button", name="Nộp bản khai").click()
    assert "Đã nộp" in xa.page.inner_text("main")
    xa.close()

    # the evaluator verifies one value with a reason, accepts, publishes
    bo = person("bo-tt", 1280)
    bo.go(f"/rounds/2025-q3/queue/?province={VINH_LONG}")
    check(bo, "queue")
    bo.page.get_by_role("link", name="Thẩm định").first.click()
    check(bo, "verify")
    row = bo.page.locator("#row-officials_with_pc")
    row.locator("summary").click()
    row.locator("input[name=value]").fill("48")
    row.locator("input[name=reason]").fill("Biên bản kiểm tra ngày 28/8/2025")
    row.get_by_role("button", name="Điều chỉnh").click()
    assert "Đã lưu giá trị thẩm định" in bo.page.inner_text("main")
    bo.page.get_by_role("button", name="Xác nhận đã thẩm định").click()
    bo.go("/rounds/2025-q3/publish/")
    assert "Phân bố theo mức" in bo.page.inner_text("main")
    check(bo, "publish")
    bo.page.get_by_role("button", name="Công bố kỳ đánh giá").click()
    bo.page.wait_for_url(platform + "/results/2025-q3/")
    bo.close()

    # anyone: the published pages
    public = person(None, 360)
    national = public.go("/results/2025-q3/")
    assert national.locator("h1").inner_text() == "Kết quả toàn quốc"
    check(public, "results-national")
    public.go(f"/results/2025-q3/unit/{PHU_QUOI}/")
    assert public.page.locator("h1").inner_text() == "Xã Phú Quới"
    check(public, "results-unit")
    wide = person(None, 1280)
    wide.go(f"/results/2025-q3/unit/{PHU_QUOI}/")
    wide.shot("results-unit")

    outside = [u for p in people for u in p.requests if not u.startswith(platform)]
    assert not outside
    heavy = {u: n for p in people for u, n in p.weights.items() if n >= MAX_PAGE_BYTES}
    assert not heavy
    unweighed = [u for p in people for u, n in p.weights.items() if n < 0]
    assert not unweighed, f"pages served without a Content-Length: {unweighed}"
    assert len({u for p in people for u in p.weights}) >= 10  # the pages were weighed
    assert not violations, violations
    report = {
        "form_fields_typed": typed,
        "form_steps": steps,
        "form_seconds_in_browser": round(filling, 1),
        "page_bytes": {u.removeprefix(platform): n for p in people for u, n in p.weights.items()},
    }
    (screenshots / "journey.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


def _tab_to(page: Any, test: str, limit: int = 60) -> int:
    """Press Tab until the focused element passes ``test`` (a JS predicate on it)."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => {test})(document.activeElement)"):
            return presses
    raise AssertionError(f"Tab never reached {test}")


def test_the_form_with_the_keyboard_only(platform: str, browser: Any, screenshots: Path) -> None:
    """Sign in, open the form and fill its first step with Tab, typing and Enter only."""
    bo = Person(browser, platform, screenshots, 1280)
    bo.sign_in("bo-tt")
    bo.page.fill("#code", "2025-q4")
    bo.page.fill("#period", "2025-Q4")
    bo.page.fill("#deadline", "2099-12-31")
    bo.page.get_by_role("button", name="Mở kỳ đánh giá").click()
    bo.close()

    values = phu_quoi_typed()
    xa = Person(browser, platform, screenshots, 360)
    page = xa.go("/signin/")
    # the user name has the focus (autofocus lands after the load: typing before it is lost)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'username'")
    page.keyboard.type("phu-quoi")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(platform + "/")
    presses = _tab_to(page, "e.href && e.href.includes('/rounds/2025-q4/units/29611/form/')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/2025-q4/units/29611/form/")
    filled: dict[str, str] = {}
    for _ in range(100):  # bounded: a focus order that wraps round fails, it does not hang
        presses += _tab_to(
            page, "(e.name || '').startsWith('v_') || (e.value === 'next' && e.type === 'submit')"
        )
        name = page.evaluate("document.activeElement.name")
        if name == "action":
            break
        key = name[2:]
        assert key not in filled, f"Tab came back to {key} before reaching 'Lưu và tiếp tục'"
        if page.evaluate("document.activeElement.tagName") == "SELECT":
            options = page.evaluate("[...document.activeElement.options].map(o => o.value)")
            for _ in range(options.index(vi(values[key]))):
                page.keyboard.press("ArrowDown")
        else:
            page.keyboard.type(vi(values[key]))
        filled[key] = vi(values[key])
    else:
        raise AssertionError("the first step never reached its 'Lưu và tiếp tục' button")
    page.keyboard.press("Enter")  # "Lưu và tiếp tục", the focused button
    page.wait_for_url("**/form/?step=1&saved=1")
    assert "Đã lưu bản nháp" in page.inner_text("main")
    page.goto(platform + "/rounds/2025-q4/units/29611/form/?step=0")
    for key, shown in filled.items():
        assert page.locator(f"[name=v_{key}]").input_value() == shown
    xa.shot("form-keyboard")
    (screenshots / "keyboard.json").write_text(
        json.dumps({"fields": len(filled), "tab_presses": presses}), encoding="utf-8"
    )
    xa.close()
