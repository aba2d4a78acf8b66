"""`python -m rfm_segmentation` is the same as the `rfm` command."""

import sys

from rfm_segmentation.cli import main

sys.exit(main())
