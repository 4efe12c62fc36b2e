"""The web pages in headless Chromium: log in, upload, quarantine, link, review,
estimate, write and open the report; screenshots go to ``tests/artifacts/``.

Chromium is Debian's (``scripts/system-deps.sh`` installs it); Playwright only
drives it (``executable_path``), it never downloads a browser. The server is a real
``undercount serve`` process on 127.0.0.1 and a free port. The lists are simulated
(seeded): nobody in them is real.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "browser"
ADMIN_PASSWORD = "browser-admin-password"
USERS = {
    "analyst": "browser-analyst-password",
    "reviewer": "browser-reviewer-password",
    "viewer": "browser-viewer-password",
}
# Rows the importer must quarantine (appended to the simulated morgue list).
BAD_ROWS = (
    "morgue-bad-1,سعاد,محمد,رافع,الخياط,F,كبير,2017-03-15,الطيران\n"
    "morgue-bad-2,آمنة,صالح,حسن,الصوفي,F,14,31/2/2017,الرسالة\n"
)


@dataclass
class Server:
    """A running ``undercount serve`` and where its lists are."""

    url: str
    lists: dict[str, Path]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_lists(folder: Path) -> dict[str, Path]:
    from undercount.simulate.records import simulate_mosul_lists

    simulated = simulate_mosul_lists(n_dead=200, seed=7)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("morgue", "ngo"):
        path = folder / f"{name}.csv"
        simulated.lists[name].to_csv(path, index=False)
        paths[name] = path
    with paths["morgue"].open("a", encoding="utf-8") as handle:
        handle.write(BAD_ROWS)
    return paths


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh as root")
    from undercount.project import init_project

    root = tmp_path_factory.mktemp("browser")
    project = init_project(root / "project").root
    lists = _write_lists(root / "lists")
    port = _free_port()
    log = (root / "server.log").open("w")
    env = {**os.environ, "UNDERCOUNT_ADMIN_PASSWORD": ADMIN_PASSWORD}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "undercount",
            "serve",
            "--project",
            str(project),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--admin-user",
            "admin",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail((root / "server.log").read_text())
            time.sleep(0.2)
        admin = httpx.post(
            f"{url}/api/auth/token",
            json={"username": "admin", "password": ADMIN_PASSWORD},
        ).json()["data"]["token"]
        for role, password in USERS.items():
            created = httpx.post(
                f"{url}/api/users",
                json={"username": role, "password": password, "role": role},
                headers={"Authorization": f"Bearer {admin}"},
            )
            assert created.status_code == 201, created.text
        yield Server(url, lists)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


def _login(page: object, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login")  # type: ignore[attr-defined]
    page.get_by_label("User name").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{url}/")  # type: ignore[attr-defined]


def _upload(page: object, source: str, path: Path) -> str:
    page.fill("#upload-source", source)  # type: ignore[attr-defined]
    page.set_input_files("#upload-file", str(path))  # type: ignore[attr-defined]
    page.get_by_role(  # type: ignore[attr-defined]
        "button", name="Upload and import"
    ).click()
    flash = page.locator("#flash")  # type: ignore[attr-defined]
    flash.filter(has_text=f"into {source}:").wait_for(timeout=60_000)
    return str(flash.inner_text())


def test_analyst_and_reviewer_in_the_browser(
    server: Server, browser: object, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )

    # log in (a wrong password first)
    page.goto(f"{server.url}/")
    page.wait_for_url(f"{server.url}/login")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#login-error")).to_contain_text("wrong user name")
    page.screenshot(path=str(artifacts / "01-login-refused.png"))
    errors.clear()  # the refused login logs a 401 in the console, as it should
    _login(page, server.url, "analyst", USERS["analyst"])
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()

    # upload two lists; the morgue list has two rows to quarantine
    text = _upload(page, "morgue", server.lists["morgue"])
    assert "2 quarantined" in text
    page.screenshot(path=str(artifacts / "02-uploaded-morgue.png"), full_page=True)
    text = _upload(page, "ngo", server.lists["ngo"])
    assert "0 quarantined" in text
    expect(page.locator("#sources tbody tr")).to_have_count(2)

    # quarantine: the rows, why, and the row as read (Arabic right to left)
    page.get_by_role("link", name="Quarantine").click()
    expect(page.locator("#quarantine tbody tr")).to_have_count(2)
    cell = page.locator("#quarantine dd", has_text="الخياط").first
    assert cell.evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.screenshot(path=str(artifacts / "03-quarantine.png"), full_page=True)

    # linkage with progress
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Run linkage on the current lists").click()
    page.locator("#flash").filter(has_text="Linkage done").wait_for(timeout=120_000)
    expect(page.locator("#runs tbody tr").first).to_contain_text("done")
    page.screenshot(path=str(artifacts / "04-linked.png"), full_page=True)
    context.close()

    # a reviewer decides two pairs with the keyboard
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, server.url, "reviewer", USERS["reviewer"])
    page.get_by_role("link", name="Review pairs").click()
    expect(page.locator("#pair")).to_be_visible()
    status = page.locator("#review-status")
    expect(status).to_contain_text("left to review")
    before = int(status.inner_text().split()[0])
    names = page.locator("dd.name")
    directions = {
        names.nth(i).evaluate("el => getComputedStyle(el).direction")
        for i in range(names.count())
    }
    assert "rtl" in directions or all(
        not any("\u0600" <= ch <= "\u06ff" for ch in names.nth(i).inner_text())
        for i in range(names.count())
    )
    expect(page.locator("#score")).to_contain_text("Match probability")
    page.screenshot(path=str(artifacts / "05-review-pair.png"), full_page=True)
    page.keyboard.press("s")
    expect(page.locator("#flash")).to_contain_text("Recorded: same")
    expect(status).to_contain_text(f"{before - 1} pair")
    page.keyboard.press("n")
    page.keyboard.type("different grandfathers")
    page.keyboard.press("Escape")
    page.keyboard.press("d")
    expect(page.locator("#flash")).to_contain_text("Recorded: different")
    expect(status).to_contain_text(f"{before - 2} pair")
    # blind review hides the score
    page.get_by_label("Blind review (hide scores, shuffle the order)").check()
    expect(page.locator("#score")).to_have_text("")
    page.screenshot(path=str(artifacts / "06-review-blind.png"), full_page=True)
    context.close()

    # the admin declares the lists simulated (undeclared, nothing is called real)
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, server.url, "admin", ADMIN_PASSWORD)
    expect(page.locator("#data-label")).to_have_text("data provenance not declared")
    page.get_by_label("The lists of this project are").select_option("simulated")
    page.get_by_role("button", name="Declare").click()
    page.locator("#flash").filter(has_text="Data declared: simulated").wait_for()
    expect(page.locator("#data-label")).to_have_text("SIMULATED DATA")
    page.screenshot(path=str(artifacts / "07-declared-simulated.png"), full_page=True)
    context.close()

    # the analyst estimates and writes the report
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, server.url, "analyst", USERS["analyst"])
    page.select_option("#method", "chapman")
    page.get_by_role("button", name="Estimate from the latest linkage run").click()
    page.locator("#flash").filter(has_text="Estimate done").wait_for(timeout=120_000)
    row = page.locator("#estimates tbody tr").first
    expect(row).to_contain_text("chapman")
    expect(row).to_contain_text("done")
    page.screenshot(path=str(artifacts / "08-estimate.png"), full_page=True)
    page.get_by_label("Public report").check()
    page.get_by_role("button", name="Write the report").click()
    page.locator("#flash").filter(has_text="Report written").wait_for(timeout=180_000)
    with context.expect_page() as opened:
        page.get_by_role("link", name="report.html").click()
    report = opened.value
    report.wait_for_load_state()
    assert report.url.endswith("/api/report/files/report.html")
    assert report.title()
    tags = report.locator("h2 .tag")
    expect(tags.first).to_have_text("SIMULATED DATA")
    assert "REAL DATA" not in report.content()
    report.screenshot(path=str(artifacts / "09-report.png"), full_page=True)
    context.close()

    # a viewer sees results but no upload form and no review page
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    _login(page, server.url, "viewer", USERS["viewer"])
    expect(page.locator("#upload-form")).to_have_count(0)
    expect(page.get_by_role("link", name="Review pairs")).to_have_count(0)
    expect(page.locator("#estimates tbody tr").first).to_contain_text("chapman")
    page.screenshot(path=str(artifacts / "10-viewer.png"), full_page=True)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{server.url}/login")
    context.close()

    assert not errors, errors
    assert len(list(artifacts.glob("*.png"))) == 10


def _job_done(url: str, headers: dict[str, str], response: httpx.Response) -> None:
    assert response.status_code == 202, response.text
    job_id = response.json()["data"]["job_id"]
    deadline = time.monotonic() + 120
    while True:
        job = httpx.get(f"{url}/api/jobs/{job_id}", headers=headers).json()["data"]
        if job["status"] not in ("queued", "running"):
            assert job["status"] == "done", job
            return
        assert time.monotonic() < deadline, job
        time.sleep(0.2)


def test_incidents_page_in_the_browser(
    server: Server, browser: object, artifacts: Path
) -> None:
    """Incident fixtures imported and graded through the API; a viewer reads them."""
    from playwright.sync_api import expect

    from undercount.incidents import demo_data_dir

    data = Path(__file__).resolve().parents[1] / "data" / "incidents"
    token = httpx.post(
        f"{server.url}/api/auth/token",
        json={"username": "analyst", "password": USERS["analyst"]},
    ).json()["data"]["token"]
    headers = {"Authorization": f"Bearer {token}"}
    files = [
        ("ucdp", data / "ucdp_ged_codebook_fixture.csv", None),
        ("acled", data / "acled_codebook_fixture.csv", None),
        ("cjtf", demo_data_dir() / "acknowledgments.csv", "acknowledgments"),
    ]
    for source, path, fmt in files:
        params = {"source": source, "filename": path.name}
        if fmt:
            params["format"] = fmt
        _job_done(
            server.url,
            headers,
            httpx.post(
                f"{server.url}/api/incidents/imports",
                params=params,
                content=path.read_bytes(),
                headers={**headers, "Content-Type": "application/octet-stream"},
            ),
        )
    _job_done(
        server.url,
        headers,
        httpx.post(f"{server.url}/api/incidents/grade", json={}, headers=headers),
    )
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, server.url, "viewer", USERS["viewer"])
    page.get_by_role("link", name="Incidents and gap").click()
    page.wait_for_url(f"{server.url}/incidents")
    expect(page.locator("#incidents tbody tr").first).to_be_visible()
    expect(page.locator("#gap tbody tr").first).to_contain_text("all")
    page.screenshot(path=str(artifacts / "11-incidents.png"), full_page=True)
    context.close()
    assert not errors, errors
