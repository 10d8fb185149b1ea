"""nbgrader configuration for the course; also read by ``coopcourse class ...``.

Paths are derived from this file's location so every tool (nbgrader's command
line, formgrader in JupyterLab, the course command) works on the same course
folders and the same gradebook wherever it is started from.
"""

import os

from coopcourse.grading.classroom.preprocessors import AUTOGRADE_SANITIZERS, FEEDBACK_PREPROCESSORS
from coopcourse.grading.nbgrader_cells import CODE_STUB, TEXT_STUB

c = get_config()  # noqa: F821 (provided by traitlets when the file is loaded)

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.course_id = "coopcourse"
# Instructor notebooks (with solutions and hidden tests) are the single source;
# the learners' versions are generated into exercises/ and committed.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Student work and grades: all git-ignored (see .gitignore).
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(COURSE_ROOT, "gradebook.db")
# Files never copied from solutions/ into exercises/ (or into grading folders):
# the rubric, the scored exemplar answers and the map of hidden checks to the
# instructions they test are for graders only.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "rubric.yaml",
    "exemplars.yaml",
    "hidden_checks.yaml",
]

# Plain nbgrader execution (used by `nbgrader autograde` and formgrader):
# a per-cell timeout in seconds.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

# nbgrader's own autograde and feedback (also behind formgrader's buttons), with
# the course's fixes: no false "checksum has changed" warning for test cells with
# hidden tests, and no hidden tests, rubric or grading notes in feedback.
c.Autograde.sanitize_preprocessors = list(AUTOGRADE_SANITIZERS)
c.GenerateFeedback.preprocessors = list(FEEDBACK_PREPROCESSORS)

# Formgrader shows learners' notebooks to graders: learner HTML (an <img onerror=…>
# in a Markdown cell) is cleaned before it reaches the grader's browser.
c.HTMLExporter.sanitize_html = True

# The stubs the course grader also expects in an unanswered cell.
c.ClearSolutions.code_stub = {"python": CODE_STUB}
c.ClearSolutions.text_stub = TEXT_STUB

# The course grader (`coopcourse class autograde`): limits applied to the
# grading kernel itself, so each submission runs in a fresh, bounded kernel.
c.CourseGrader.cell_timeout = 60  # seconds of wall-clock time per cell
c.CourseGrader.cpu_seconds = 300  # CPU seconds for the whole submission (RLIMIT_CPU)
c.CourseGrader.memory_mb = 2048  # address space of the kernel (RLIMIT_AS)
c.CourseGrader.file_size_mb = 50  # largest file the kernel may write (RLIMIT_FSIZE)
c.CourseGrader.open_files = 256  # open file descriptors (RLIMIT_NOFILE)
c.CourseGrader.extra_processes = 32  # processes beyond those running (RLIMIT_NPROC)
c.CourseGrader.output_limit_kb = 512  # outputs kept per cell; the rest is cut off
c.CourseGrader.filesystem_sandbox = True  # Landlock: write only in the kernel's folder
c.CourseGrader.network_sandbox = True  # Landlock 4+: no outgoing TCP connections
c.CourseGrader.workers = 0  # 0 = one more worker than CPU cores
