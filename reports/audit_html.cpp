#include "reports/audit_view.h"

namespace csp::reports {

void write_audit_html(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  (void)report;
  (void)context;
  out << "";
}

}  // namespace csp::reports
