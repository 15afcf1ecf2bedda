import type { Random } from './random';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强晓东海燕文斌红梅春雨婷浩然子轩欣怡宇航思远佳琪俊杰梓涵';
const TRADE_WORDS = ['恒达', '鑫源', '华宇', '东方', '锦程', '宏图', '瑞丰', '汇通', '嘉禾', '天成', '金桥', '远航', '盛世', '新纪元', '中联', '永安'];
const INDUSTRIES = ['建材', '贸易', '科技', '纺织', '物流', '餐饮', '电子', '机械', '食品', '房地产开发', '投资管理', '服装'];
const STREETS = ['文三路', '天目山路', '古墩路', '解放路', '中山路', '凤起路', '延安路', '江南大道', '人民路', '五马街'];

export function personName(rng: Random): string {
  const given = rng.chance(0.6) ? rng.pick([...GIVEN]) + rng.pick([...GIVEN]) : rng.pick([...GIVEN]);
  return rng.pick([...SURNAMES]) + given;
}

export function companyName(rng: Random, city: string): { name: string; scope: string } {
  const industry = rng.pick(INDUSTRIES);
  return {
    name: `${city.replace('市', '')}${rng.pick(TRADE_WORDS)}${industry}有限公司`,
    scope: `${industry}；国内贸易；技术服务`,
  };
}

export function streetAddress(rng: Random, city: string, county: string): string {
  return `浙江省${city}${county}${rng.pick(STREETS)}${rng.int(1, 999)}号`;
}

export function flatAddress(rng: Random, city: string, county: string): string {
  return `${streetAddress(rng, city, county)}${rng.int(1, 30)}幢${rng.int(1, 4)}单元${rng.int(1, 33)}0${rng.int(1, 4)}室`;
}
