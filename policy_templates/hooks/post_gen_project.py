"""Remove documents the profile does not need (rendered by cookiecutter before it runs)."""

from pathlib import Path

{%- set p = isms_profile(cookiecutter) %}

DEVELOPS_SOFTWARE = {{ "True" if p.develops_software else "False" }}

if not DEVELOPS_SOFTWARE:
    Path("policies", "secure-development.md").unlink(missing_ok=True)

# Documents that only a client region, a kind of work or an answer brings in, and whether it does.
CONDITIONAL = {
    # EU and UK clients: our duties as their GDPR processor.
    "gdpr-processor-duties.md": {{ "True" if 'eu-gdpr' in p.region_keys else "False" }},
    "records-of-processing.md": {{ "True" if 'eu-gdpr' in p.region_keys else "False" }},
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
