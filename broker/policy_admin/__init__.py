"""Policy administration: everything around the pure engine that a DPO's change goes through.

Read a policy directory, run its scenarios, replay traffic, explain a decision; propose, approve,
schedule, cancel and activate a change (:mod:`.service`, one records transaction each, with its
s.62 audit) and publish the activated version to the ``policies`` topic.
"""
