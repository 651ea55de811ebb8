"""The output folder, and the only code that touches it (writer): the guard against
replacing a folder briefgen did not make, the state of what was written, the spare
folder beside it and the atomic swap. May import core."""
