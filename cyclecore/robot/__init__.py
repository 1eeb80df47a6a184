"""One robot: the motion kernel's public face (:mod:`cyclecore.robot.motion`) and a robot's
program as joint configurations (:mod:`cyclecore.robot.cell`)."""
