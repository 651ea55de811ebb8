"""`python -m briefgen.schemas`: write the shipped JSON Schemas from their rules."""

from briefgen.schemas import write_schemas

for path in write_schemas():
    print(f"wrote {path}")
