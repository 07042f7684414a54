#include "proto/shared/named_options.h"

namespace flamegrid {

NamedOptions::NamedOptions(CLI::App& app, std::span<const OptionSpec> specs) {
  for (const OptionSpec& spec : specs) {
    CLI::Option* option = spec.takes_value
                              ? app.add_option(spec.name, values_[spec.name])
                                    ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
                              : app.add_flag(spec.name);
    options_.emplace_back(spec.name, option);
  }
}

std::map<std::string, std::string> NamedOptions::Given() const {
  std::map<std::string, std::string> given;
  for (const auto& [name, option] : options_) {
    if (option->count() == 0) continue;
    given[name] = option->get_expected() == 0 ? "1" : values_.at(name);
  }
  return given;
}

}  // namespace flamegrid
