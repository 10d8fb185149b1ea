"""Teaching package for the course on public-service mutuals and co-ops (UK, 2008-2010).

Notebooks call into this package so that they stay thin: quizzes
(:mod:`coopcourse.quiz`), the seed texts (:mod:`coopcourse.seeds`), the
economic models and the grading tools.
"""

__version__ = "0.1.0"
