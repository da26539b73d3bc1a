"""Remove files the answers do not need (rendered by cookiecutter before it runs)."""

import shutil
from pathlib import Path

DEVELOPS_SOFTWARE = {{ "True" if isms_profile(cookiecutter).develops_software else "False" }}
# Documents that only a standard out of scope would need.
NOT_NEEDED = {{ documents_not_needed(cookiecutter) | tojson }}
# Crosswalked controls: a document citing the key also serves the listed controls of another standard.
SHARED = {{ shared_controls(cookiecutter) | tojson }}

CI = {{ cookiecutter.ci | tojson }}

if not DEVELOPS_SOFTWARE:
    Path("policies", "secure-development.md").unlink(missing_ok=True)
for name in NOT_NEEDED:
    Path("policies", name).unlink(missing_ok=True)
for path in sorted(Path("policies").glob("*.md")):
    front, fence, body = path.read_text(encoding="utf-8").partition("\n---\n")
    lines, cited = front.split("\n"), set(front.split("\n"))
    for index in range(len(lines) - 1, -1, -1):
        key = lines[index][4:] if lines[index].startswith("  - ") else ""
        extra = [f"  - {ref}" for ref in SHARED.get(key, []) if f"  - {ref}" not in cited]
        lines[index + 1 : index + 1] = extra
        cited.update(extra)
    path.write_text("\n".join(lines) + fence + body, encoding="utf-8")

# One CI system's files: .github/ for GitHub Actions, .gitlab-ci.yml for GitLab, neither for none.
if CI != "github":
    shutil.rmtree(".github", ignore_errors=True)
if CI != "gitlab":
    Path(".gitlab-ci.yml").unlink(missing_ok=True)
