"""Remove files the answers do not need (rendered by cookiecutter before it runs)."""

import shutil
from pathlib import Path

DEVELOPS_SOFTWARE = {{ "True" if isms_profile(cookiecutter).develops_software else "False" }}
CI = {{ cookiecutter.ci | tojson }}

if not DEVELOPS_SOFTWARE:
    Path("policies", "secure-development.md").unlink(missing_ok=True)

# One CI system's files: .github/ for GitHub Actions, .gitlab-ci.yml for GitLab, neither for none.
if CI != "github":
    shutil.rmtree(".github", ignore_errors=True)
if CI != "gitlab":
    Path(".gitlab-ci.yml").unlink(missing_ok=True)
