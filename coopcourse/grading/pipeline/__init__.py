"""Grading one assignment: read the trusted source and a submission, assemble them, run
the reference and the submission, score the checks, and grade a class in parallel."""
