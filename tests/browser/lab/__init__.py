"""Helpers for testing the course in a real JupyterLab and browser.

:mod:`tests.browser.lab.labserver` starts and stops an isolated JupyterLab
server on a temporary copy of the course; :mod:`tests.browser.lab.labpage`
drives a lesson in a Playwright page (open, run all, answer quizzes).
Both are used by ``tests/browser`` and ``benchmarks/quiz_latency.py``.
"""
