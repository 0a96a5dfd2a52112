"""`pcc-ledger init DIR`: a new data repository, in a real folder and a real git repository,
that passes `check` at once, whose every file is what the README says and does what it says."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import ruamel.yaml
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from pcc_ledger import __version__, datarepo
from pcc_ledger.cli import app
from pcc_ledger.scalars import FinancialYear

from .conftest import REPO, new_runner

YEAR = FinancialYear.containing(date.today())
FOLDER = str(YEAR).replace("/", "-")
FILES = [
    ".github/workflows/pcc-ledger.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".vscode/extensions.json",
    ".vscode/settings.json",
    ".yamllint",
    "README.md",
    f"data/allocations/{FOLDER}/community-safety-fund.yaml",
    "data/funds.yaml",
    "schema/commitments.schema.json",
    "schema/funds.schema.json",
]
COMMITMENTS = f"data/allocations/{FOLDER}/community-safety-fund.yaml"
YAML_FILES = [name for name in FILES if name.endswith((".yaml", ".yml")) or name == ".yamllint"]
GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def _environment(**extra: str) -> dict[str, str]:
    """This Python's console scripts first on PATH, and nothing of a CI run or a git hook that
    would change what the commands do."""
    kept = {name: value for name, value in os.environ.items()
            if name not in ("GITHUB_ACTIONS", "GITHUB_BASE_REF", "PCC_LEDGER_DATA")
            and not name.startswith("GIT_")}
    scripts = str(Path(sys.executable).parent)
    return {**kept, "PATH": os.pathsep.join([scripts, kept.get("PATH", "")]), **extra}


def _init(runner: CliRunner, target: Path) -> Any:
    return runner.invoke(app, ["init", str(target)], catch_exceptions=False)


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every entry below `root` (git's own folder left out), with a file's bytes."""
    return {path.relative_to(root).as_posix(): None if path.is_dir() else path.read_bytes()
            for path in sorted(root.rglob("*")) if ".git" not in path.relative_to(root).parts}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository made by `pcc-ledger init`, for the tests that only read it."""
    target = tmp_path_factory.mktemp("init") / "ledger"
    result = _init(new_runner(), target)
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture
def repo(made: Path, tmp_path: Path) -> Path:
    """A copy of it, for a test that changes it."""
    copy = tmp_path / "ledger"
    shutil.copytree(made, copy, symlinks=True)
    return copy


def _run(command: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          env=_environment(**extra))


def _pcc(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    """A pcc-ledger command run in `root`, in this process (a tenth of the time of a new one)."""
    monkeypatch.chdir(root)
    unset: dict[str, str | None] = {name: None for name in (
        "GITHUB_ACTIONS", "GITHUB_BASE_REF", "PCC_LEDGER_DATA", "NO_COLOR", "FORCE_COLOR")}
    return new_runner().invoke(app, list(args), env=unset, catch_exceptions=False)


def _commit(repo: Path) -> None:
    for command in (["git", "add", "-A"],
                    ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                     "-c", "commit.gpgsign=false", "commit", "-q", "-m", "init"]):
        result = _run(command, repo)
        assert result.returncode == 0, result.stderr


def test_it_makes_exactly_the_documented_files(made: Path) -> None:
    assert sorted(name for name, content in _tree(made).items() if content is not None) == FILES
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### `pcc-ledger init DIR`"):]
    start = section.index("```\n") + len("```\n")
    tree = section[start:section.index("```", start)]
    documented = sorted(line.split()[0].replace("YYYY-YY", FOLDER) for line in tree.splitlines()
                        if line.strip() and not line.startswith(" "))
    assert documented == FILES


def test_it_says_what_it_made_and_what_to_do_next(tmp_path: Path) -> None:
    result = _init(new_runner(), tmp_path / "ledger")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"made a pcc-ledger data repository in {tmp_path / 'ledger'}:"
    assert lines[1:12] == [f"  {name}" for name in FILES]
    if GIT:
        assert lines[12] == (f"git init: {tmp_path / 'ledger'} is a new git repository; "
                             "nothing was committed")
    assert lines[-6:] == [
        "next:", f"  cd {tmp_path / 'ledger'}",
        "  edit data/funds.yaml: the organisation, the funds and their allocations",
        "  pcc-ledger check", "  git add -A && git commit -m 'A pcc-ledger data repository'",
        "  pre-commit install    # to check the data before each commit",
    ]


def test_check_finds_no_problems_and_summary_reports(
        made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check = _pcc(made, monkeypatch, "check")
    assert (check.exit_code, check.stdout, check.stderr) == (0, "no problems in 2 files\n", "")
    summary = _pcc(made, monkeypatch, "summary", "--format", "csv")
    assert summary.exit_code == 0, summary.stderr
    assert summary.stdout.splitlines()[1] == (
        f"community-safety-fund,{YEAR},,100000.00,0.00,0.00,0.00,0.00,100000.00,0.00,"
        "100000.00,0.0")


@needs_git
def test_it_is_a_git_repository_with_nothing_committed(made: Path) -> None:
    status = _run(["git", "-C", str(made), "status", "--porcelain", "--untracked-files=all"],
                  made.parent)
    assert status.returncode == 0, status.stderr
    assert sorted(line[3:] for line in status.stdout.splitlines()) == FILES
    top = _run(["git", "rev-parse", "--show-toplevel"], made)
    assert Path(top.stdout.strip()) == made.resolve()
    assert _run(["git", "rev-parse", "--verify", "-q", "HEAD"], made).returncode == 1


def test_every_yaml_file_parses(made: Path) -> None:
    for name in YAML_FILES:
        assert isinstance(yaml.safe_load((made / name).read_text(encoding="utf-8")), dict), name


def test_no_word_of_the_templates_is_left(made: Path) -> None:
    for name, content in _tree(made).items():
        assert content is None or not re.search(rb"__[A-Z]+__", content), name


def test_yamllint_passes_every_yaml_file_with_the_shipped_rules(made: Path) -> None:
    pytest.importorskip("yamllint")  # in the test extras; a bare install may lack it
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    config = YamlLintConfig(file=str(made / ".yamllint"))
    for name in YAML_FILES:
        problems = list(linter.run((made / name).read_text(encoding="utf-8"), config))
        assert problems == [], (name, [str(p) for p in problems])
    # The rules agree with the format: flags are true or false, never yes.
    flagged = list(linter.run("must_spend: yes\nother: true\n", config))
    assert [(p.line, p.rule) for p in flagged] == [(1, "truthy")]


def _as_check_jsonschema_reads(path: Path) -> Any:
    """YAML as check-jsonschema reads it: YAML 1.2 (ruamel), a date left as its text."""

    class Constructor(ruamel.yaml.SafeConstructor):
        yaml_constructors = {
            **ruamel.yaml.SafeConstructor.yaml_constructors,
            "tag:yaml.org,2002:timestamp":
                ruamel.yaml.SafeConstructor.yaml_constructors["tag:yaml.org,2002:str"],
        }

    reader = ruamel.yaml.YAML(typ="safe", pure=True)
    reader.Constructor = Constructor
    return json.loads(json.dumps(reader.load(path.read_text(encoding="utf-8"))))


def _validate(root: Path) -> None:
    for kind, data_file in (("funds", "data/funds.yaml"), ("commitments", COMMITMENTS)):
        schema = json.loads((root / f"schema/{kind}.schema.json").read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        errors = [error.message for error in
                  Draft202012Validator(schema).iter_errors(_as_check_jsonschema_reads(
                      root / data_file))]
        assert errors == [], (data_file, errors)


def test_the_schemas_validate_the_data_and_are_what_schema_writes(
        made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _validate(made)
    for kind in ("funds", "commitments"):
        written = _pcc(made, monkeypatch, "schema", kind, "--data", "data")
        assert written.exit_code == 0, written.stderr
        assert written.stdout == (made / f"schema/{kind}.schema.json").read_text("utf-8")
    commitments = json.loads((made / "schema/commitments.schema.json").read_text("utf-8"))
    assert "community-safety-fund" in json.dumps(commitments)  # the data's ids, to complete


def test_the_editor_binds_the_schemas_to_the_data_files(made: Path) -> None:
    settings = json.loads((made / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {
        "./schema/funds.schema.json": "/data/funds.yaml",
        "./schema/commitments.schema.json": ["/data/allocations/**/*.yaml",
                                             "/data/allocations/**/*.yml"],
    }
    extensions = json.loads((made / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert extensions == {"recommendations": ["redhat.vscode-yaml"]}
    # yaml-language-server (in VS Code and other editors) reads a schema from the first line.
    for data_file, kind in (("data/funds.yaml", "funds"), (COMMITMENTS, "commitments")):
        first = (made / data_file).read_text(encoding="utf-8").splitlines()[0]
        named = first.removeprefix("# yaml-language-server: $schema=")
        assert named != first
        assert ((made / data_file).parent / named).resolve() == \
            (made / f"schema/{kind}.schema.json").resolve()


def _uncommented(text: str) -> str:
    """The file with every commented-out key and list item of its examples put back."""
    example = re.compile(r"^(\s*)# (\s*(?:[a-z0-9_-]+:(?: |$)|- ).*)$")
    lines = []
    for line in text.splitlines():
        if line == "commitments: []":  # the list the example is written in place of
            continue
        found = None if line.startswith("# yaml-language-server:") else example.match(line)
        lines.append(found[1] + found[2] if found else line)
    return "\n".join(lines) + "\n"


def test_the_commented_examples_are_valid_data(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("data/funds.yaml", COMMITMENTS):
        path = repo / name
        before = path.read_text(encoding="utf-8")
        path.write_text(_uncommented(before), encoding="utf-8")
        assert path.read_text(encoding="utf-8").count("\n#") < before.count("\n#") - 5
    check = _pcc(repo, monkeypatch, "check")
    assert (check.exit_code, check.stdout) == (0, "no problems in 2 files\n")
    listed = _pcc(repo, monkeypatch, "commitments", "--format", "csv")
    assert f"CSF-{YEAR.start}-001," in listed.stdout
    funds = yaml.safe_load((repo / "data/funds.yaml").read_text(encoding="utf-8"))
    allocation = funds["funds"]["community-safety-fund"]["allocations"][str(YEAR)]
    assert set(allocation) == {"amount", "basis", "note", "rules", "ring_fences"}
    assert set(funds) == {"organisation", "currency", "objectives", "checks", "reserves", "funds"}
    _validate(repo)


def _runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def _workflow(root: Path) -> dict[Any, Any]:
    loaded = yaml.safe_load((root / ".github/workflows/pcc-ledger.yml").read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_workflow_checks_and_posts_the_budget_diff(made: Path) -> None:
    workflow = _workflow(made)
    assert workflow[True] == ["push", "pull_request"]  # `on:`, which YAML 1.1 reads as true
    assert workflow["env"] == {"PCC_LEDGER": f"pcc-ledger=={__version__}"}
    check, budget = workflow["jobs"]["check"], workflow["jobs"]["budget-diff"]
    assert _runs(check)[:2] == ['python -m pip install "$PCC_LEDGER"',
                                "pcc-ledger check data --format github"]
    assert budget["if"] == "github.event_name == 'pull_request'"
    assert budget["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert budget["steps"][0]["with"] == {"fetch-depth": 0}
    assert _runs(budget)[1].startswith(
        "pcc-ledger diff --data data --format markdown > budget-diff.md\n")
    post = budget["steps"][-1]
    assert post["continue-on-error"] is True
    assert post["run"] == ('gh pr comment "$PR" --edit-last --body-file budget-diff.md || '
                           'gh pr comment "$PR" --body-file budget-diff.md')


@needs_git
def test_the_workflow_steps_pass_in_the_repository(repo: Path, tmp_path: Path) -> None:
    workflow = _workflow(repo)
    for script in _runs(workflow["jobs"]["check"])[1:]:  # all but the install
        result = _run(["bash", "-e", "-c", script], repo)
        assert result.returncode == 0, (script, result.stdout, result.stderr)
    # A schema that no longer matches the data's ids fails the job, and says how to fix it.
    funds = repo / "data/funds.yaml"
    funds.write_text(funds.read_text("utf-8").replace("community-safety-fund:",
                                                      "safer-streets-fund:"), "utf-8")
    stale = _run(["bash", "-e", "-c", _runs(workflow["jobs"]["check"])[2]], repo)
    assert stale.returncode == 1
    assert ("::error file=schema/commitments.schema.json::out of date: write it again with "
            "pcc-ledger schema commitments --data data > schema/commitments.schema.json"
            ) in stale.stdout
    _commit(repo)
    summary = tmp_path / "summary.md"
    diff_step = _runs(workflow["jobs"]["budget-diff"])[1]
    result = _run(["bash", "-e", "-c", diff_step], repo, GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 0, result.stderr
    posted = (repo / "budget-diff.md").read_text(encoding="utf-8")
    assert posted.startswith("<!-- pcc-ledger diff -->\n")
    assert summary.read_text(encoding="utf-8") == posted
    ignored = _run(["git", "status", "--porcelain"], repo)
    assert ignored.stdout == ""  # budget-diff.md is in .gitignore


def test_the_pre_commit_hook_runs_the_check(made: Path) -> None:
    config = yaml.safe_load((made / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local, linter = config["repos"]
    assert local["repo"] == "local"
    assert local["hooks"] == [{
        "id": "pcc-ledger-check", "name": "pcc-ledger check", "entry": "pcc-ledger check data",
        "language": "system", "pass_filenames": False, "files": "^data/",
    }]
    assert (linter["repo"], linter["hooks"]) == (
        "https://github.com/adrienverge/yamllint", [{"id": "yamllint", "args": ["--strict"]}])
    # The id is the one pcc-ledger's own hook has, for those who switch to it.
    (own,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert own["id"] == local["hooks"][0]["id"]
    result = _run(shlex.split(local["hooks"][0]["entry"]), made)
    assert (result.returncode, result.stdout) == (0, "no problems in 2 files\n")


@needs_git
def test_the_readme_commands_work_in_the_repository(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (repo / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)
    commands = [shlex.split(line, comments=True)
                for block in blocks for line in block.replace("\\\n", " ").splitlines()
                if line.strip()]
    assert [words[1] for words in commands] == [
        "check", "summary", "commitments", "year-end", "diff", "add", "approve", "pay", "schema"]
    _commit(repo)  # diff compares with HEAD
    for words in commands[:-1]:  # the last writes the schema again, with the shell
        result = _pcc(repo, monkeypatch, *words[1:])
        assert result.exit_code == 0, (words, result.stdout, result.stderr)
    check = _pcc(repo, monkeypatch, "check")
    assert (check.exit_code, check.stdout) == (0, "no problems in 2 files\n")
    paid = _pcc(repo, monkeypatch, "payments", "--format", "csv")
    assert paid.stdout.splitlines()[1] == (f"CSF-{YEAR.start}-001,community-safety-fund,{YEAR},"
                                           f"Example Community Group,{YEAR.start}-06-30,2500.00,")


def test_an_empty_folder_and_a_fresh_clone_are_fine(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _init(new_runner(), empty).exit_code == 0
    assert sorted(n for n, c in _tree(empty).items() if c is not None) == FILES
    if GIT:
        clone = tmp_path / "clone"
        assert _run(["git", "init", "-q", str(clone)], tmp_path).returncode == 0
        head = (clone / ".git" / "HEAD").read_bytes()
        result = _init(new_runner(), clone)
        assert result.exit_code == 0
        assert f"{clone} is a git repository already; nothing was committed" in result.stdout
        assert (clone / ".git" / "HEAD").read_bytes() == head


@pytest.mark.parametrize("what", ["a file in it", "a hidden file in it", "a file"])
def test_a_folder_that_is_not_empty_is_refused_and_nothing_changes(
        tmp_path: Path, what: str) -> None:
    target = tmp_path / "ledger"
    if what == "a file":
        target.write_text("notes\n")
    else:
        target.mkdir()
        (target / ("notes.txt" if what == "a file in it" else ".env")).write_text("mine\n")
    before = _tree(tmp_path)
    result = _init(new_runner(), target)
    assert result.exit_code == 2
    assert result.stdout == ""
    expected = (f"{target} is not a folder; name a new or empty folder" if what == "a file" else
                f"{target} is not empty ({'notes.txt' if what == 'a file in it' else '.env'}); "
                "init makes a repository in a new folder, an empty one, or one holding only "
                ".git (a fresh clone of an empty repository): name another")
    assert result.stderr == f"pcc-ledger: error: {expected}\n"
    assert _tree(tmp_path) == before


def test_a_folder_with_no_parent_is_refused(tmp_path: Path) -> None:
    result = _init(new_runner(), tmp_path / "missing" / "ledger")
    assert result.exit_code == 2
    assert result.stderr == (f"pcc-ledger: error: no folder {tmp_path / 'missing'} to make "
                             "ledger in; create it first\n")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.write_bytes
    written: list[Path] = []

    def filling_up(self: Path, content: bytes) -> int:
        if len(written) == 4:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real(self, content)

    monkeypatch.setattr(Path, "write_bytes", filling_up)
    result = _init(new_runner(), tmp_path / "ledger")
    assert result.exit_code == 2
    assert result.stderr == (f"pcc-ledger: error: cannot write {tmp_path / 'ledger'}: No space "
                             "left on device; nothing was written\n")
    assert list(tmp_path.iterdir()) == []  # nor the folder it was writing into


def test_a_failed_move_into_an_empty_folder_leaves_it_empty(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ledger"
    target.mkdir()
    real = os.rename
    moves: list[str] = []

    def failing(source: Any, destination: Any) -> None:
        if len(moves) == 3:
            raise OSError(5, "Input/output error")
        moves.append(str(destination))
        real(source, destination)

    monkeypatch.setattr(os, "rename", failing)
    result = _init(new_runner(), target)
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == [target]
    assert list(target.iterdir()) == []


def test_without_git_it_says_so_and_makes_the_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    result = _init(new_runner(), tmp_path / "ledger")
    assert result.exit_code == 0
    assert result.stderr == (f"pcc-ledger: warning: git is not installed, so {tmp_path / 'ledger'} "
                             "is not a git repository yet: install git and run `git init` in "
                             "it\n")
    assert sorted(n for n, c in _tree(tmp_path / "ledger").items() if c is not None) == FILES


def _installed(monkeypatch: pytest.MonkeyPatch, origin: dict[str, Any] | None) -> None:
    from importlib import metadata

    class Distribution:
        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return None if origin is None else json.dumps(origin)

    monkeypatch.setattr(metadata, "distribution", lambda name: Distribution())


COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(("origin", "expected"), [
    (None, f"pcc-ledger=={__version__}"),  # from the package index
    ({"url": "https://github.com/example/pcc-ledger.git",
      "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"}},
     f"pcc-ledger @ git+https://github.com/example/pcc-ledger.git@{COMMIT}"),
    # A local folder means nothing on a CI machine; a URL with a password is not written out.
    ({"url": "file:///home/me/pcc-ledger", "dir_info": {"editable": True}},
     f"pcc-ledger=={__version__}"),
    ({"url": "https://me:secret@github.com/example/pcc-ledger.git",
      "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, f"pcc-ledger=={__version__}"),
    ({"url": "ssh://git@example.org/pcc-ledger.git",
      "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, f"pcc-ledger=={__version__}"),
])
def test_ci_installs_the_pcc_ledger_that_made_the_repository(
        monkeypatch: pytest.MonkeyPatch, origin: dict[str, Any] | None, expected: str) -> None:
    _installed(monkeypatch, origin)
    requirement = datarepo.install_requirement()
    assert requirement == expected
    files = datarepo.repository(date(2030, 1, 15), requirement)
    workflow = yaml.safe_load(files[".github/workflows/pcc-ledger.yml"])
    assert workflow["env"]["PCC_LEDGER"] == expected
    assert f'python -m pip install "{expected}"' in files["README.md"].decode()
    assert "data/allocations/2029-30/community-safety-fund.yaml" in files  # 2029/30's


def test_every_template_is_packaged() -> None:
    import fnmatch
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["pcc_ledger.templates.init"]
    folder = REPO / "src" / "pcc_ledger" / "templates" / "init"
    templates = sorted(path.name for path in folder.iterdir()
                       if path.is_file() and path.suffix != ".py")
    assert templates == sorted(datarepo.TEMPLATES.values())
    assert [name for name in templates
            if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)] == []
