"""Remove files the answers do not need (rendered by cookiecutter before it runs)."""

import shutil
from pathlib import Path

{%- set p = isms_profile(cookiecutter) %}

DEVELOPS_SOFTWARE = {{ "True" if p.develops_software else "False" }}
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

# Documents that only a client region, a kind of work or an answer brings in, and whether it does.
CONDITIONAL = {
    # EU and UK clients: our duties as their GDPR processor.
    "gdpr-processor-duties.md": {{ "True" if 'eu-gdpr' in p.region_keys else "False" }},
    # ... and the processor's record per client that ISO/IEC 27701's records of processing build on.
    "records-of-processing.md": {{ "True" if 'eu-gdpr' in p.region_keys or 'iso27701-2025' in p.frameworks else "False" }},
    "data-subject-request-assistance.md": {{ "True" if 'eu-gdpr' in p.region_keys else "False" }},
    "dpia-assistance.md": {{ "True" if 'eu-gdpr' in p.region_keys else "False" }},
    # US healthcare work: HIPAA business associate duties.
    "hipaa-security-official-appointment.md": {{ "True" if p.bpo_type == 'healthcare-bpo' or 'us-healthcare' in p.region_keys else "False" }},
    "baa-obligations-checklist.md": {{ "True" if p.bpo_type == 'healthcare-bpo' or 'us-healthcare' in p.region_keys else "False" }},
    # Card payments taken for clients.
    "payment-card-security.md": {{ "True" if p.handles_payment_cards else "False" }},
}
for name, needed in CONDITIONAL.items():
    if not needed:
        Path("policies", name).unlink(missing_ok=True)
