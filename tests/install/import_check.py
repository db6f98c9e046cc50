"""The installed qstate package imports and runs (tests/install/consumer_test.cmake)."""
import qstate

c = qstate.Circuit(1)
c.x(0)
assert qstate.Simulator().compile(c).run().expectation("Z") == -1.0
print("installed module", qstate.__file__)
