"""Step Functions: ValidateStateMachineDefinition and ListStateMachineVersions.

The AWS provider validates every definition at plan time and lists the versions of a
state machine when it reads one; moto 5.2.5 implements neither.

`ValidateStateMachineDefinition` checks the structure of the Amazon States Language document
the way AWS reports it (`result` OK/FAIL with `diagnostics` of severity ERROR): JSON syntax
(`INVALID_JSON_DESCRIPTION`), required `StartAt`/`States`, known state `Type`s, `Resource` on
`Task` states, exactly one of `Next`/`End` on states that transition, and transition targets
that exist (`MISSING_TRANSITION_TARGET`), also inside `Parallel` branches and `Map`
processors. It does not check JSONPath/JSONata expressions or service integrations.
`ListStateMachineVersions` lists the versions published with `publish = true`, newest first.
"""

import json

from moto.core.responses import ActionResult
from moto.stepfunctions.responses import StepFunctionResponse

# The state types of the Amazon States Language.
STATE_TYPES = {"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}


def _diagnostic(code, message, location):
    return {"severity": "ERROR", "code": code, "message": message, "location": location}


def _validate_states(states, location, diagnostics):
    for name, state in states.items():
        where = f"{location}/{name}"
        if not isinstance(state, dict):
            diagnostics.append(
                _diagnostic("SCHEMA_VALIDATION_FAILED", "State must be an object", where)
            )
            continue
        kind = state.get("Type")
        if kind not in STATE_TYPES:
            diagnostics.append(
                _diagnostic(
                    "SCHEMA_VALIDATION_FAILED",
                    f"Field 'Type' should be one of {sorted(STATE_TYPES)}",
                    f"{where}/Type",
                )
            )
        if kind == "Task" and "Resource" not in state:
            diagnostics.append(
                _diagnostic(
                    "SCHEMA_VALIDATION_FAILED",
                    "These fields are required: [Resource]",
                    where,
                )
            )
        nxt = state.get("Next")
        if kind in ("Task", "Pass", "Wait", "Parallel", "Map"):
            if (nxt is None) == (state.get("End") is not True):
                diagnostics.append(
                    _diagnostic(
                        "SCHEMA_VALIDATION_FAILED",
                        "Exactly one of these fields is required: [Next, End]",
                        where,
                    )
                )
        if kind == "Choice":
            targets = [c.get("Next") for c in state.get("Choices") or [] if isinstance(c, dict)]
            if "Default" in state:
                targets.append(state["Default"])
            for target in targets:
                if target not in states:
                    diagnostics.append(
                        _diagnostic(
                            "MISSING_TRANSITION_TARGET",
                            f"Missing 'Next' target: {target}",
                            f"{where}/Choices",
                        )
                    )
        if nxt is not None and nxt not in states:
            diagnostics.append(
                _diagnostic(
                    "MISSING_TRANSITION_TARGET",
                    f"Missing 'Next' target: {nxt}",
                    f"{where}/Next",
                )
            )
        if kind == "Parallel":
            for i, branch in enumerate(state.get("Branches") or []):
                _validate_machine(branch, f"{where}/Branches[{i}]", diagnostics)
        if kind == "Map":
            inner = state.get("ItemProcessor") or state.get("Iterator")
            if isinstance(inner, dict):
                _validate_machine(inner, f"{where}/ItemProcessor", diagnostics)


def _validate_machine(machine, location, diagnostics):
    if not isinstance(machine, dict):
        diagnostics.append(
            _diagnostic("SCHEMA_VALIDATION_FAILED", "Definition must be an object", location)
        )
        return
    states = machine.get("States")
    if not isinstance(states, dict) or not states:
        diagnostics.append(
            _diagnostic(
                "SCHEMA_VALIDATION_FAILED",
                "These fields are required: [States]",
                location or "/",
            )
        )
        return
    start = machine.get("StartAt")
    if start is None:
        diagnostics.append(
            _diagnostic(
                "SCHEMA_VALIDATION_FAILED",
                "These fields are required: [StartAt]",
                location or "/",
            )
        )
    elif start not in states:
        diagnostics.append(
            _diagnostic(
                "MISSING_TRANSITION_TARGET",
                f"Missing 'Next' target: {start}",
                f"{location}/StartAt",
            )
        )
    _validate_states(states, f"{location}/States", diagnostics)


def validate_definition(definition):
    """The diagnostics AWS would report for an Amazon States Language document."""
    try:
        machine = json.loads(definition)
    except (TypeError, ValueError) as err:
        return [_diagnostic("INVALID_JSON_DESCRIPTION", str(err), "/")]
    diagnostics = []
    _validate_machine(machine, "", diagnostics)
    return diagnostics


def validate_state_machine_definition(self):
    diagnostics = validate_definition(self._get_param("definition"))
    max_results = self._get_int_param("maxResults") or 100
    return ActionResult(
        {
            "result": "FAIL" if diagnostics else "OK",
            "diagnostics": diagnostics[:max_results],
            "truncated": len(diagnostics) > max_results,
        }
    )


def list_state_machine_versions(self):
    arn = self._get_param("stateMachineArn")
    machine = self.stepfunction_backend.describe_state_machine(arn)
    versions = sorted(
        getattr(machine, "versions", {}).values(), key=lambda v: v.version, reverse=True
    )
    return ActionResult(
        {
            "stateMachineVersions": [
                {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date}
                for v in versions
            ]
        }
    )


def apply():
    StepFunctionResponse.validate_state_machine_definition = validate_state_machine_definition
    StepFunctionResponse.list_state_machine_versions = list_state_machine_versions
