"""``python -m clientcreds``."""

import sys

from clientcreds.cli import main

sys.exit(main())
