"""Everything between the grader and the class: nbgrader's gradebook and preprocessors,
collecting submissions, late work, LMS files, export and feedback."""
