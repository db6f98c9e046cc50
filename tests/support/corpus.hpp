// The shared corpus of external circuits (/work/shared/corpus) as the tests read it: manifest
// rows, reference probabilities, and the corpus README's list of files that are invalid as
// written. Used by the single-process corpus crosscheck and by the same checks under MPI.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace qstate::test {

// The corpus folder (QSTATE_SHARED_DIR/corpus).
std::filesystem::path corpus_dir();

struct CorpusRow {
  std::string circuit;  // relative to the corpus folder, e.g. circuits/qasmbench/qft_n4.qasm
  std::string qubits;
  std::string status;     // "reference", "no reference", ...
  std::string reference;  // relative path of the reference JSON, for status "reference"
  std::string note;
};

// The rows of manifest.tsv, in file order.
std::vector<CorpusRow> corpus_manifest();

// Every manifest row plus any OpenQASM 2 file on disk the manifest misses, openqasm3/ excluded.
std::vector<CorpusRow> corpus_openqasm2_rows();

// The file name of a corpus-relative path.
std::string corpus_file_name(const std::string& rel);

// Files the corpus README calls invalid as written: measure into undeclared registers, parse
// errors, unknown gates. (sat_n11 lacks its OPENQASM line but is read as OpenQASM 2.)
bool corpus_must_be_rejected(const std::string& rel);

// The reference probabilities of a row with status "reference".
std::vector<double> corpus_reference_probabilities(const CorpusRow& row);

std::string read_text_file(const std::filesystem::path& path);

// The file without its `measure` lines (for files whose only fault is measuring into
// undeclared registers; the reference ran them with measurements removed).
std::string without_measure_lines(const std::string& text);

}  // namespace qstate::test
