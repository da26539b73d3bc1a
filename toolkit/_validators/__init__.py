"""Validators generated from schemas/ by `python -m toolkit.validation`; do not edit."""
