import sys

from coopcourse.cli import main

sys.exit(main())
