// The OpenQASM 3 front end's entry points (qasm.cpp dispatches to them by the version line):
// program text in, Circuit out, with the same model and gate matrices as the OpenQASM 2 front
// end. Classical code is evaluated while the file is read (loops unrolled, constants folded);
// conditions on measured bits stay as IfOps; gates that depend on `input` declarations are
// parametric (Circuit::inputs, qstate::bind_parameters). Every problem is a qstate::Error whose
// message starts with file:line:col. docs/openqasm.md lists what is supported.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace qstate::qasm3 {

// Lowers the OpenQASM 3 program `text`, read from `file` (used in messages and as
// Circuit::source); `include "x";` is read from `include_dir` / x unless x is "stdgates.inc" or
// "qelib1.inc", which are built in.
Circuit lower_qasm3(std::string_view text, const std::string& file,
                    const std::filesystem::path& include_dir);

// The value of a constant OpenQASM 3 expression such as "0.25", "pi/4" or "-2*pi/3" (for
// parameter values given on the command line). `name` is used in messages.
double evaluate_constant(std::string_view text, const std::string& name);

}  // namespace qstate::qasm3
