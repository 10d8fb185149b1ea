"""Helpers for testing the course in a real JupyterLab and browser.

:mod:`coopcourse.testing.labserver` starts and stops an isolated JupyterLab
server on a temporary copy of the course; :mod:`coopcourse.testing.labpage`
drives a lesson in a Playwright page (open, run all, answer quizzes).
Both are used by ``tests/browser`` and ``benchmarks/quiz_latency.py``.
"""
