// Corpus manifest reader and reference loader (see corpus.hpp).
#include "tests/support/corpus.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace qstate::test {

namespace fs = std::filesystem;

fs::path corpus_dir() {
  return fs::path(QSTATE_SHARED_DIR) / "corpus";
}

std::vector<CorpusRow> corpus_manifest() {
  std::ifstream in(corpus_dir() / "manifest.tsv");
  std::vector<CorpusRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) f.push_back(field);
    f.resize(5);
    rows.push_back({f[0], f[1], f[2], f[3], f[4]});
  }
  return rows;
}

std::vector<CorpusRow> corpus_openqasm2_rows() {
  std::vector<CorpusRow> rows;
  std::set<std::string> seen;
  for (const CorpusRow& r : corpus_manifest()) {
    if (r.circuit.rfind("circuits/openqasm3/", 0) == 0) continue;
    rows.push_back(r);
    seen.insert(r.circuit);
  }
  for (const char* dir : {"circuits/openqasm2", "circuits/qasmbench", "circuits/qiskit"}) {
    for (const auto& e : fs::recursive_directory_iterator(corpus_dir() / dir)) {
      if (e.path().extension() != ".qasm") continue;
      const std::string rel = fs::relative(e.path(), corpus_dir()).generic_string();
      if (seen.insert(rel).second) rows.push_back({rel, "", "not in manifest", "", ""});
    }
  }
  return rows;
}

std::string corpus_file_name(const std::string& rel) {
  return fs::path(rel).filename().string();
}

bool corpus_must_be_rejected(const std::string& rel) {
  const std::string name = corpus_file_name(rel);
  if (rel.find("/invalid/") != std::string::npos) return true;
  for (const char* bad : {"vqe_uccsd_n4", "vqe_uccsd_n6", "vqe_uccsd_n8", "hhl_n10"})
    if (name.rfind(bad, 0) == 0) return true;
  return name == "example_fail.qasm";
}

std::vector<double> corpus_reference_probabilities(const CorpusRow& row) {
  std::ifstream in(corpus_dir() / row.reference);
  const nlohmann::json j = nlohmann::json::parse(in);
  return j.at("probabilities").get<std::vector<double>>();
}

std::string read_text_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string without_measure_lines(const std::string& text) {
  std::stringstream in(text);
  std::string out, line;
  while (std::getline(in, line))
    if (line.rfind("measure", 0) != 0) out += line + "\n";
  return out;
}

}  // namespace qstate::test
