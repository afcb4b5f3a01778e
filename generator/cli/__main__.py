"""`python -m topgen.cli`: the same as the `topgen` command."""

import sys

from .main import main

sys.exit(main())
