/**
 * Electronic identifier codes of the demo organisation (QĐ 20/2020/QĐ-TTg, four dot-separated levels; H26 = Hà Nội).
 * The level-2/3 parts are the demo's own numbering: a real deployment imports its agencies' official codes.
 */
export const DEMO_AGENCY_CODES = {
  cityPeoplesCommittee: '000.00.00.H26',
  departmentOfHealth: '000.00.12.H26',
  departmentOfJustice: '000.00.13.H26',
  departmentOfConstruction: '000.00.14.H26',
  serviceCenter: '000.00.30.H26',
  serviceCenterBranch1: '000.01.30.H26',
  serviceCenterBranch2: '000.02.30.H26',
} as const;
