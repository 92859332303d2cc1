//! Real places used by the tests, as (latitude, longitude) in WGS-84 with their sources.
//!
//! Coordinates are the ones published in the places' Wikipedia infoboxes (English unless
//! noted). Each was checked against the embedded data to lie at least about 1.5 km from
//! the border that matters (the distance is noted), so neither the GCJ-02 conversion nor
//! the precision of the outline can flip a result. The one exception is marked.

// Across the border, outside Liaoning.

/// 山海关 (Shanhai Pass, "First Pass Under Heaven"), Qinhuangdao, Hebei: 40°00′34″N
/// 119°45′15″E. About 4.1 km from the Liaoning border.
pub const SHANHAI_PASS: (f64, f64) = (40.00944, 119.75417);
/// 敖汉旗 (Aohan Banner) seat, Chifeng, Inner Mongolia: 42°17′N 119°55′E. About 10 km
/// from the border with 朝阳.
pub const AOHAN_BANNER: (f64, f64) = (42.283, 119.917);
/// 科尔沁左翼后旗 (Horqin Left Back Banner) seat, Tongliao, Inner Mongolia: 42°57′N
/// 122°21′E. About 13 km from the border with 阜新/彰武 and 沈阳/康平.
pub const HORQIN_LEFT_BACK_BANNER: (f64, f64) = (42.950, 122.350);
/// 四平市人民政府 (Siping municipal government), Jilin: 43°10′00″N 124°21′02″E. About
/// 3.6 km from the border with 铁岭/昌图.
pub const SIPING_GOVERNMENT: (f64, f64) = (43.1668, 124.3506);
/// 辽源市人民政府 (Liaoyuan municipal government), Jilin: 42°53′17″N
/// 125°08′41″E. About 17 km from the border with 铁岭/西丰.
pub const LIAOYUAN_GOVERNMENT: (f64, f64) = (42.8880, 125.1447);
/// 梅河口市人民政府 (Meihekou government), Tonghua, Jilin: 42°32′27″N 125°42′39″E. About
/// 44 km from the border with 抚顺/清原.
pub const MEIHEKOU_GOVERNMENT: (f64, f64) = (42.5408, 125.7108);
/// 신의주 (Sinuiju), North Korea, across the Yalu from Dandong: 40°06′N 124°24′E. About
/// 1.7 km from the Chinese bank.
pub const SINUIJU: (f64, f64) = (40.100, 124.400);
/// The Bohai Sea between Huludao and Dalian, about 46 km from any shore (a chosen point).
pub const BOHAI_SEA: (f64, f64) = (39.9, 120.9);
/// The Yellow Sea south-east of Dalian, about 40 km from any shore (a chosen point).
pub const YELLOW_SEA: (f64, f64) = (38.7, 122.3);

// Inside Liaoning, near those borders.

/// 绥中县 (Suizhong County) seat, 葫芦岛, the county facing Shanhaiguan (Russian
/// Wikipedia): 40°19′27″N 120°20′20″E.
pub const SUIZHONG: (f64, f64) = (40.3242, 120.3389);
/// 彰武县 (Zhangwu County) seat, 阜新, facing Tongliao (Russian Wikipedia): 42°22′50″N
/// 122°31′55″E.
pub const ZHANGWU: (f64, f64) = (42.3806, 122.5319);
/// 昌图县 (Changtu County) seat, 铁岭, facing Siping (Russian Wikipedia): 42°46′51″N
/// 124°06′18″E.
pub const CHANGTU: (f64, f64) = (42.7808, 124.1050);
/// 清原满族自治县 (Qingyuan County) seat, 抚顺, facing Meihekou (Russian Wikipedia):
/// 42°05′52″N 124°55′17″E.
pub const QINGYUAN: (f64, f64) = (42.0978, 124.9214);
/// 丹东 city centre on the Yalu riverfront: 40°07′N 124°23′E. The exception: only about
/// 0.57 km from the river bank, which is where the dataset draws the border.
pub const DANDONG_CENTRE: (f64, f64) = (40.117, 124.383);
/// 大连理工大学 (Dalian University of Technology) main campus, 凌工路2号, about 2 km from
/// the sea on two sides (the brief's figure, 38.88 N 121.53 E).
pub const DALIAN_UNIVERSITY_OF_TECHNOLOGY: (f64, f64) = (38.88, 121.53);

// The seats of the 14 cities (市人民政府 unless noted), each several kilometres inside.

/// 沈河区, the district that hosts the seat of Shenyang's city government: 41°47′53″N
/// 123°30′09″E.
pub const SHENYANG_SEAT: (f64, f64) = (41.7980, 123.5026);
/// Dalian municipal government: 38°54′N 121°36′E.
pub const DALIAN_SEAT: (f64, f64) = (38.900, 121.600);
/// Anshan municipal government: 41°06′29″N 122°59′38″E.
pub const ANSHAN_SEAT: (f64, f64) = (41.108, 122.994);
/// 东洲区 (Dongzhou District) seat, Fushun: 41°50′07″N 124°00′57″E.
pub const FUSHUN_SEAT: (f64, f64) = (41.83528, 124.01583);
/// Benxi Bureau of Civil Affairs (本溪市民政局): 41°18′14″N 123°45′54″E.
pub const BENXI_SEAT: (f64, f64) = (41.3039, 123.7649);
/// 锦州 Liaoshen campaign memorial (辽沈战役纪念馆): 41°07′44″N 121°08′53″E.
pub const JINZHOU_SEAT: (f64, f64) = (41.129, 121.148);
/// Yingkou municipal government: 40°37′30″N 122°13′08″E.
pub const YINGKOU_SEAT: (f64, f64) = (40.625, 122.219);
/// Fuxin municipal government: 42°01′19″N 121°40′12″E.
pub const FUXIN_SEAT: (f64, f64) = (42.022, 121.670);
/// 辽阳 Baita Park (白塔公园): 41°16′44″N 123°10′34″E.
pub const LIAOYANG_SEAT: (f64, f64) = (41.279, 123.176);
/// The new Tieling city government building: 42°13′25.72″N 123°43′34.54″E.
pub const TIELING_SEAT: (f64, f64) = (42.2238111, 123.7262611);
/// 朝阳 People's Park (人民公园): 41°34′16″N 120°27′11″E.
pub const CHAOYANG_SEAT: (f64, f64) = (41.571, 120.453);
/// Panjin Library (盘锦市图书馆): 41°07′04″N 122°03′55″E.
pub const PANJIN_SEAT: (f64, f64) = (41.1177, 122.0654);
/// Huludao municipal government: 40°42′40″N 120°50′13″E.
pub const HULUDAO_SEAT: (f64, f64) = (40.711, 120.837);
