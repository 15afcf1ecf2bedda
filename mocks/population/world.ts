import type { BankRecord, CourtRecord } from './types';

/** Counties of the synthetic province (Zhejiang codes), with their registry town names. */
export const COUNTIES = [
  { code: '330102', city: '杭州市', name: '上城区', plate: '浙A' },
  { code: '330106', city: '杭州市', name: '西湖区', plate: '浙A' },
  { code: '330110', city: '杭州市', name: '余杭区', plate: '浙A' },
  { code: '330203', city: '宁波市', name: '海曙区', plate: '浙B' },
  { code: '330302', city: '温州市', name: '鹿城区', plate: '浙C' },
  { code: '330502', city: '湖州市', name: '吴兴区', plate: '浙E' },
] as const;

export type County = (typeof COUNTIES)[number];

export const COURTS: CourtRecord[] = [
  { code: '浙0102', name: '杭州市上城区人民法院', countyCode: '330102' },
  { code: '浙0106', name: '杭州市西湖区人民法院', countyCode: '330106' },
  { code: '浙0110', name: '杭州市余杭区人民法院', countyCode: '330110' },
  { code: '浙0203', name: '宁波市海曙区人民法院', countyCode: '330203' },
  { code: '浙0302', name: '温州市鹿城区人民法院', countyCode: '330302' },
  { code: '浙01', name: '杭州市中级人民法院', countyCode: '330106' },
];

/**
 * The banks of the province, one of each kind an enforcement network meets. Their systems
 * differ (API, batch size, latency, what they can do online): see mocks/bank/.
 */
export const BANKS: BankRecord[] = [
  { code: 'NCB', name: '华夏国民银行' }, // large national bank
  { code: 'HZCB', name: '杭州城市商业银行' }, // city commercial bank
  { code: 'RCC', name: '余杭农村信用合作联社' }, // rural credit cooperative
  { code: 'WEB', name: '网商互联银行' }, // internet bank
];
