"""`python -m service.cli` = `screening`: runs the modules on sys.path first (the compiled
copy of `make compiled`, for one), not the ones the entry point was installed from."""

import sys

from service.cli import main

sys.exit(main())
