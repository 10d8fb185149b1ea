"""Instructor grading for the course, built on nbgrader.

``checks`` is imported by assignment notebooks; everything else is used by the
``coopcourse class ...`` commands (see docs/instructor-guide.md).
"""
