"""The GitHub Pages workflow, .github/workflows/publish.yml: linted with actionlint, and read
for what it must do: test and build from the lock, deploy with GitHub's Pages actions, on push
to main, by hand and hourly, never two deploys at once."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import missing_tool

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
MAKEFILE = REPO / "Makefile"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict, action: str) -> dict | None:
    return next((s for s in steps(job) if s.get("uses", "").startswith(action + "@")), None)


# -- actionlint ---------------------------------------------------------------------------------

def actionlint() -> str:
    # The one the test extras install into the venv, else one on PATH.
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint")
    if not found:
        missing_tool("actionlint is not installed (pip install -c constraints.txt -e '.[test]')")
    return found


def lint(path: Path) -> subprocess.CompletedProcess:
    # -no-color and -oneline: one finding a line, path:line:col: message [rule]. actionlint
    # also runs shellcheck over `run:` scripts when shellcheck is installed.
    return subprocess.run([actionlint(), "-no-color", "-oneline", str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_actionlint_finds_nothing_wrong():
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_would_catch_a_broken_workflow(tmp_path):
    """The lint above can fail: the same workflow with a misspelt permission, an unknown input
    of the Pages upload action and a reference to a step that does not exist."""
    text = WORKFLOW.read_text(encoding="utf-8")
    broken = (text.replace("pages: write", "pages: wirte", 1)
                  .replace("          path: site", "          paht: site", 1)
                  .replace("steps.deployment.outputs", "steps.deploy.outputs", 1))
    assert broken.count("wirte") == broken.count("paht") == broken.count("steps.deploy.") == 1
    copy = tmp_path / ".github" / "workflows" / "publish.yml"
    copy.parent.mkdir(parents=True)
    copy.write_text(broken, encoding="utf-8")
    result = lint(copy)
    assert result.returncode != 0
    found = result.stdout
    assert '"wirte" is invalid as permission' in found
    assert 'input "paht" is not defined' in found
    assert 'property "deploy" is not defined' in found


# -- what it does -------------------------------------------------------------------------------

def test_it_runs_on_push_to_main_by_hand_and_hourly(workflow):
    on = workflow["on"]
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    (schedule,) = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and 0 <= int(minute) <= 59
    assert (hour, day, month, weekday) == ("*", "*", "*", "*")  # every hour of every day
    # The schedule's comment says why it is there and how to change it.
    text = WORKFLOW.read_text(encoding="utf-8")
    comment = text[text.index("schedule:"): text.index("- cron:")]
    assert "first build after its date" in comment
    assert re.search(r'"\d+ \S+ \* \* \*"', comment), "the comment shows another schedule"


def test_two_deploys_never_race(workflow):
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_the_build_job_tests_then_builds_strict_from_the_lock(workflow):
    build = workflow["jobs"]["build"]
    setup = uses(build, "actions/setup-python")
    assert setup and setup["with"]["python-version"] == "3.11"
    runs = [s.get("run", "").strip() for s in steps(build)]
    assert "make test" in runs and "make build" in runs
    names = [s.get("uses", s.get("run", "")).split("@")[0].strip() for s in steps(build)]
    assert names.index("make test") < names.index("make build") < names.index(
        "actions/upload-pages-artifact")
    # What those targets do, so the workflow's promises hold: the venv is installed from the
    # lock with the test extras, system tools come from the installer script, and the build
    # is strict into site/, the folder the artifact is made from.
    makefile = MAKEFILE.read_text(encoding="utf-8")
    assert "-c constraints.txt -e '.[test]'" in makefile
    assert re.search(r"(?m)^test: .*system-deps", makefile)
    assert re.search(r"(?m)^build: .*\n\t.*--strict --site-dir site( \$\(if .*)?$", makefile)
    assert uses(build, "actions/upload-pages-artifact")["with"]["path"] == "site"


def test_the_installer_uses_sudo_when_not_root():
    """GitHub's runners run as a user with password-less sudo, not as root."""
    script = (REPO / "scripts" / "install-system-deps.sh").read_text(encoding="utf-8")
    assert re.search(r'id -u\)" -ne 0 \]; then SUDO=sudo', script)
    assert "$SUDO apt-get install" in script


def test_only_the_deploy_job_may_write_to_pages(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert uses(deploy, "actions/deploy-pages")["id"] == "deployment"
    assert "main" in deploy["if"]
    for name, job in workflow["jobs"].items():
        if name != "deploy":
            assert "pages" not in job.get("permissions", {}), name


def test_every_action_is_pinned_to_a_major_version(workflow):
    actions = [s["uses"] for job in workflow["jobs"].values() for s in steps(job) if "uses" in s]
    assert len(actions) >= 5
    for action in actions:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), action
