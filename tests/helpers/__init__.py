"""Test helpers: plain modules the tests import (conftest.py keeps only fixtures)."""
