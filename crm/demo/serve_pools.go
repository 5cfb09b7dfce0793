package demo

import "carebook/crm"

// Pools of the events, service appointments and complaints (see serve.go). "{i}" is the short
// name of the item the service or complaint is about, "{e}" the event's name, "{d}" its date
// (11月28日).

// eventKind says what an event is for: its audience, purpose and script.
type eventKind struct {
	names    []string // event names of this kind (history_pools' eventsByMonth)
	audience func(r rng) crm.Audience
	purpose  []string
	script   []string
}

var (
	allTiers   = []crm.Tier{crm.TierVIP, crm.TierMajor, crm.TierOrdinary}
	bigTiers   = []crm.Tier{crm.TierVIP, crm.TierMajor}
	loyalStage = []crm.Stage{crm.StageRepeat, crm.StageLongTerm}
	backStage  = []crm.Stage{crm.StageDormant, crm.StageHalfLost}
)

var eventKinds = []eventKind{
	{
		names: split("年终VIP答谢会|新春会员答谢会|老顾客答谢会|母亲节感恩会"),
		audience: func(r rng) crm.Audience {
			if r.per(500) {
				return crm.Audience{Tiers: bigTiers}
			}
			return crm.Audience{Stages: loyalStage}
		},
		purpose: split("感谢老顾客一年来的支持，加深感情，现场推荐年度新品|答谢重要顾客，了解他们明年的需求，提升忠诚度|" +
			"回馈老顾客，维系关系，活动当天有专属礼遇"),
		script: split("{remark}您好！{d}我们店里办{e}，只邀请了一小部分老顾客，准备了伴手礼和专属折扣，想给您留一个位置，您看方便过来吗？|" +
			"{remark}您好，这一年真的很感谢您的照顾！{d}我们办{e}，有茶歇和小礼物，特别想请您来坐坐，您那天有空吗？"),
	},
	{
		names: split("春季新品品鉴会|秋冬新品品鉴会|新品体验会|秋季新品发布会|开春上新会"),
		audience: func(r rng) crm.Audience {
			if r.per(500) {
				return crm.Audience{Tags: []string{"爱尝鲜", "高潜力", "意见领袖"}}
			}
			return crm.Audience{Tiers: allTiers}
		},
		purpose: split("让顾客第一时间体验新品，收集试用反馈，带动新品首批销售|邀请喜欢尝鲜的顾客试用新品，培养口碑"),
		script: split("{remark}您好！新品刚到，{d}我们办{e}，可以现场试用，到场还有小样送，您对新品一向很有眼光，想请您来给点意见，方便吗？|" +
			"{remark}您好，{d}店里有{e}，这次的新品很适合您，名额有限，我先帮您留一个位置好不好？"),
	},
	{
		names: split("会员日|夏日会员日|店庆回馈活动|周末沙龙|冬季保养讲座|踏青季活动"),
		audience: func(r rng) crm.Audience {
			if r.per(400) {
				return crm.Audience{}
			}
			return crm.Audience{Tiers: allTiers}
		},
		purpose: split("会员专享活动，拉近关系，邀请顾客到店|让顾客到店走走，顺便了解近期需求"),
		script: split("{remark}您好！{d}是我们的{e}，会员到店有双倍积分和小礼品，您有空过来逛逛吗？|" +
			"{remark}您好，{d}店里办{e}，有专业老师讲解，还有茶点，欢迎您带朋友一起来！"),
	},
	{
		names: split("中秋团购会|年货节|双十一预售会|618年中大促|五一特惠活动"),
		audience: func(r rng) crm.Audience {
			if r.per(500) {
				return crm.Audience{Tags: []string{"团购", "节日送礼"}}
			}
			return crm.Audience{Tiers: allTiers}
		},
		purpose: split("节前团购和送礼需求集中，提前锁定订单|预售锁定需求，提前备货"),
		script: split("{remark}您好！{d}我们办{e}，团购和礼盒有专属价，还能免费刻字包装，您今年送礼需要的话，我先帮您预留？|" +
			"{remark}您好，{e}{d}开始，提前预订的顾客有额外优惠，您看看有没有需要的，我给您发清单。"),
	},
	{
		names: split("女神节专场|情人节礼遇|七夕礼遇|圣诞礼遇|父亲节礼遇|暑期亲子活动|国庆嘉年华|夏末清仓会"),
		audience: func(r rng) crm.Audience {
			if r.per(300) {
				return crm.Audience{Stages: backStage}
			}
			return crm.Audience{}
		},
		purpose: split("借节日邀请顾客到店，送上节日礼遇，唤回一段时间没来的顾客|节日主题活动，增加到店人数"),
		script: split("{remark}您好！{d}我们店里有{e}，准备了节日小礼物，好久没见您了，过来坐坐吧？|" +
			"{remark}您好，{d}的{e}给老顾客准备了专属优惠，您要是有空，欢迎过来看看。"),
	},
}

// Service titles by category name (catDefs), per kind; "{i}" is the item.
var serviceTitles = map[string][3][]string{
	// online, offline, after_sales
	"护肤":   {split("视频指导{i}用法|{i}用完提醒|线上皮肤问题答疑"), split("到店皮肤检测|到店补水护理|到店做面部护理"), split("{i}退换货|{i}过敏处理|补寄{i}赠品")},
	"彩妆":   {split("视频教化妆|线上推荐色号"), split("到店试色号|到店免费化妆"), split("{i}换色号|{i}退换货")},
	"家电":   {split("视频指导{i}使用|{i}保养提醒|远程设置{i}"), split("到店取{i}配件|到店演示{i}功能"), split("上门安装{i}|{i}维修检测|{i}清洗保养|更换{i}配件|{i}退换货")},
	"母婴":   {split("线上育儿答疑|{i}用完提醒"), split("到店试穿|到店参加育儿课"), split("{i}换货|{i}退换货")},
	"茶叶":   {split("线上讲冲泡方法|{i}储存提醒"), split("到店品茶|到店取预订的{i}"), split("{i}换货|补寄{i}")},
	"红酒":   {split("线上讲醒酒方法|{i}储存提醒"), split("到店品鉴|到店取预订的{i}"), split("{i}破损换货|补寄{i}")},
	"服装":   {split("线上推荐搭配|{i}洗护提醒"), split("到店试穿|到店修改{i}尺寸"), split("{i}换尺码|{i}退换货|{i}修补")},
	"保健品":  {split("{i}服用提醒|线上健康答疑"), split("到店健康检测|到店取{i}"), split("{i}换货|补寄{i}")},
	"运动":   {split("线上训练指导|{i}保养提醒"), split("到店试穿|到店调整{i}"), split("{i}换尺码|{i}维修|{i}退换货")},
	"珠宝":   {split("{i}保养提醒|线上证书查询"), split("到店免费清洗{i}|到店调整{i}尺寸"), split("{i}刻字|{i}维修|{i}换款")},
	"家纺":   {split("{i}洗护提醒|线上尺寸确认"), split("到店选花色|到店取{i}"), split("送货上门：{i}|{i}换尺寸|{i}退换货")},
	"数码":   {split("远程设置{i}|视频指导{i}使用|{i}保修到期提醒"), split("到店贴膜|到店检测{i}"), split("{i}维修检测|{i}换货|更换{i}配件")},
	"企业采购": {split("线上确认订单|对账提醒"), split("上门拜访采购负责人|到店选样"), split("补发{i}|{i}退换货|批量送货上门")},
}

var (
	serviceNotes = split("|顾客希望上午来|已约好时间，提前一天电话确认|顾客家里有老人，上门前先打电话||需要带上发票")

	resolutions = map[crm.ComplaintCategory][]string{
		crm.ComplaintUrgent:    split("当天换新，另送小礼品表示歉意|加急补发，运费由我们承担|全额退款，顾客表示理解"),
		crm.ComplaintBatch:     split("整批检查后统一换货，并书面说明原因|与厂家协调，批量退换并给予折扣补偿"),
		crm.ComplaintDifficult: split("请厂家技术人员上门检测，免费维修并延长保修|与顾客多次沟通后，按半价补偿达成一致|送检后确认问题，为顾客换新并赠送保养服务"),
		crm.ComplaintMalicious: split("按规定说明售后政策，保留沟通记录，礼貌结案|提供检测报告，顾客接受，未做额外补偿"),
	}

	stepNotes = map[crm.ComplaintStepKind][]string{
		crm.StepListen:    split("顾客情绪激动，先让顾客把话说完，没有打断|耐心听顾客讲完经过，做了记录|电话里先安抚顾客，约好当面谈"),
		crm.StepEmpathise: split("向顾客道歉，表示完全理解她的心情|告诉顾客换作是我也会着急，先稳住情绪|感谢顾客及时反馈"),
		crm.StepClarify:   split("查了购买记录和批次，向顾客说明原因|联系厂家确认情况，给顾客解释清楚|和顾客一起核对了商品和发票"),
		crm.StepAgree:     split("和顾客商定换新方案，顾客同意|提出退款和换货两种方案，顾客选择换货|达成一致：免费维修并赠送保养"),
		crm.StepFollowUp:  split("回访顾客，新品使用正常|回访确认问题已解决，顾客满意|再次回访，顾客表示以后还会来买"),
	}

	complaintCategories = []wstr{{string(crm.ComplaintUrgent), 35}, {string(crm.ComplaintDifficult), 40}, {string(crm.ComplaintBatch), 15}, {string(crm.ComplaintMalicious), 5}}
	severities          = []wstr{{string(crm.SeveritySimple), 45}, {string(crm.SeverityGeneral), 38}, {string(crm.SeverityComplex), 17}}
	satisfactions       = []wint{{1, 2}, {2, 5}, {3, 15}, {4, 40}, {5, 38}}
)
