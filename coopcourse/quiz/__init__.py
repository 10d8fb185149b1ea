"""Widget quizzes kept as data: one YAML bank per lesson in ``coopcourse/quizbanks``.

Typical use in a lesson::

    from coopcourse.quiz import LessonQuiz
    quiz = LessonQuiz("01_the_policy")
    quiz.question("who-may-opt-out")  # one question, shown where it is asked
    quiz.scoreboard()                 # running score for the lesson
"""

from coopcourse.quiz.bank import Bank, BankError, Option, Question, load_bank, load_bank_file
from coopcourse.quiz.lesson import LessonQuiz
from coopcourse.quiz.progress import keep_progress, progress_table, restore_progress
from coopcourse.quiz.verdict import Verdict, check_answer

__all__ = [
    "Bank",
    "BankError",
    "Verdict",
    "LessonQuiz",
    "Option",
    "Question",
    "check_answer",
    "keep_progress",
    "load_bank",
    "load_bank_file",
    "progress_table",
    "restore_progress",
]
