"""Remove documents the profile does not need (rendered by cookiecutter before it runs)."""

from pathlib import Path

DEVELOPS_SOFTWARE = {{ "True" if isms_profile(cookiecutter).develops_software else "False" }}

if not DEVELOPS_SOFTWARE:
    Path("policies", "secure-development.md").unlink(missing_ok=True)
