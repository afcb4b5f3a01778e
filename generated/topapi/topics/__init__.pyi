"""The types of topapi.topics: `payload_type` knows each topic's payload class."""

from typing import Literal, overload

from topapi._topic import ContentError as ContentError
from topapi._topic import Direction as Direction
from topapi._topic import TopicPayload as TopicPayload
from topapi._topic import decode as decode
from topapi._topic import decode_data as decode_data
from topapi.topics.alibaba_idle_apply_info_syn import (
    ApplyInfoSyn as _alibaba_idle_apply_info_syn,
)
from topapi.topics.alibaba_idle_house_status_notify import (
    HouseStatusNotify as _alibaba_idle_house_status_notify,
)
from topapi.topics.alibaba_idle_isv_item_change import (
    ISVItemChange as _alibaba_idle_isv_item_change,
)
from topapi.topics.alibaba_idle_isv_order_change import (
    ISVOrderChange as _alibaba_idle_isv_order_change,
)
from topapi.topics.alibaba_idle_isv_relation_change import (
    ISVRelationChange as _alibaba_idle_isv_relation_change,
)
from topapi.topics.alibaba_idle_isv_reverse_order_change import (
    ISVReverseOrderChange as _alibaba_idle_isv_reverse_order_change,
)
from topapi.topics.alibaba_idle_job_item_change_status_notify import (
    JobItemChangeStatusNotify as _alibaba_idle_job_item_change_status_notify,
)
from topapi.topics.alibaba_idle_local_im_bind_status_syn import (
    LocalIMBindStatusSyn as _alibaba_idle_local_im_bind_status_syn,
)
from topapi.topics.alibaba_idle_local_lead_confirm_syn import (
    LocalLeadConfirmSyn as _alibaba_idle_local_lead_confirm_syn,
)
from topapi.topics.alibaba_idle_local_message_notify import (
    LocalMessageNotify as _alibaba_idle_local_message_notify,
)
from topapi.topics.idle_agreement_status_change import (
    StatusChange as _idle_agreement_status_change,
)
from topapi.topics.idle_appraiseisv_item_syn import (
    ItemSyn as _idle_appraiseisv_item_syn,
)
from topapi.topics.idle_appraiseisv_order_syn import (
    OrderSyn as _idle_appraiseisv_order_syn,
)
from topapi.topics.idle_appraiseisv_refund_syn import (
    RefundSyn as _idle_appraiseisv_refund_syn,
)
from topapi.topics.idle_autotrade_order_state_sync import (
    OrderStateSync as _idle_autotrade_order_state_sync,
)
from topapi.topics.idle_autotrade_refund_sync import (
    RefundSync as _idle_autotrade_refund_sync,
)
from topapi.topics.idle_consignment_order_syn import (
    OrderSyn as _idle_consignment_order_syn,
)
from topapi.topics.idle_consignmentii_order_syn import (
    OrderSyn as _idle_consignmentii_order_syn,
)
from topapi.topics.idle_cro_punish_msg import PunishMsg as _idle_cro_punish_msg
from topapi.topics.idle_cycleshop_goods_notice import (
    GoodsNotice as _idle_cycleshop_goods_notice,
)
from topapi.topics.idle_cycleshop_sale_order_notice import (
    SaleOrderNotice as _idle_cycleshop_sale_order_notice,
)
from topapi.topics.idle_distribution_item_change import (
    ItemChange as _idle_distribution_item_change,
)
from topapi.topics.idle_eticket_item_expire import (
    ItemExpire as _idle_eticket_item_expire,
)
from topapi.topics.idle_eticket_ordermsg import Ordermsg as _idle_eticket_ordermsg
from topapi.topics.idle_fishmarket_after_sale_perform import (
    AfterSalePerform as _idle_fishmarket_after_sale_perform,
)
from topapi.topics.idle_fishmarket_buyer_bid_notify import (
    BuyerBidNotify as _idle_fishmarket_buyer_bid_notify,
)
from topapi.topics.idle_fishmarket_buyer_order_state_syn import (
    BuyerOrderStateSyn as _idle_fishmarket_buyer_order_state_syn,
)
from topapi.topics.idle_fishmarket_item_auction_state_syn import (
    ItemAuctionStateSyn as _idle_fishmarket_item_auction_state_syn,
)
from topapi.topics.idle_fishmarket_item_state_syn import (
    ItemStateSyn as _idle_fishmarket_item_state_syn,
)
from topapi.topics.idle_fishmarket_tender_auto_auction_msg import (
    TenderAutoAuctionMsg as _idle_fishmarket_tender_auto_auction_msg,
)
from topapi.topics.idle_fishmarket_vendue_state_syn import (
    VendueStateSyn as _idle_fishmarket_vendue_state_syn,
)
from topapi.topics.idle_fishmarketfixed_order_syn import (
    OrderSyn as _idle_fishmarketfixed_order_syn,
)
from topapi.topics.idle_gameboost_order_state_sync import (
    OrderStateSync as _idle_gameboost_order_state_sync,
)
from topapi.topics.idle_luxconsign_order_notice import (
    OrderNotice as _idle_luxconsign_order_notice,
)
from topapi.topics.idle_newoutlets_user_tag_notice import (
    UserTagNotice as _idle_newoutlets_user_tag_notice,
)
from topapi.topics.idle_recycle_order_state_syn import (
    OrderStateSyn as _idle_recycle_order_state_syn,
)
from topapi.topics.idle_recycle_order_syn import OrderSyn as _idle_recycle_order_syn
from topapi.topics.idle_recycle_refund_status_modify import (
    RefundStatusModify as _idle_recycle_refund_status_modify,
)
from topapi.topics.idle_recycle_store_syn import StoreSyn as _idle_recycle_store_syn
from topapi.topics.idle_seller_improve_pack_order import (
    ImprovePackOrder as _idle_seller_improve_pack_order,
)
from topapi.topics.idle_seller_jishi_ai_generate_item_desc import (
    JishiAiGenerateItemDesc as _idle_seller_jishi_ai_generate_item_desc,
)
from topapi.topics.idle_seller_pro_shop_status import (
    ProShopStatus as _idle_seller_pro_shop_status,
)
from topapi.topics.idle_topisv_compensate_notice import (
    CompensateNotice as _idle_topisv_compensate_notice,
)
from topapi.topics.idle_topisv_global_product_notice import (
    GlobalProductNotice as _idle_topisv_global_product_notice,
)
from topapi.topics.idle_topisv_item_notice import ItemNotice as _idle_topisv_item_notice
from topapi.topics.idle_topisv_refund_notice import (
    RefundNotice as _idle_topisv_refund_notice,
)
from topapi.topics.idle_topisv_trade_notice import (
    TradeNotice as _idle_topisv_trade_notice,
)
from topapi.topics.idle_trade_address_modify import (
    AddressModify as _idle_trade_address_modify,
)
from topapi.topics.idle_trade_trade_rete_success import (
    TradeReteSuccess as _idle_trade_trade_rete_success,
)
from topapi.topics.idle_tranferpay_order_change import (
    OrderChange as _idle_tranferpay_order_change,
)
from topapi.topics.idle_twjd_order_syn import OrderSyn as _idle_twjd_order_syn
from topapi.topics.taobao_fenxiao_fx_refund_success import (
    FxRefundSuccess as _taobao_fenxiao_fx_refund_success,
)
from topapi.topics.taobao_item_audit_result_notify import (
    AuditResultNotify as _taobao_item_audit_result_notify,
)
from topapi.topics.taobao_item_distribute_item_edit import (
    DistributeItemEdit as _taobao_item_distribute_item_edit,
)
from topapi.topics.taobao_item_item_add import ItemAdd as _taobao_item_item_add
from topapi.topics.taobao_item_item_delete import ItemDelete as _taobao_item_item_delete
from topapi.topics.taobao_item_item_downshelf import (
    ItemDownshelf as _taobao_item_item_downshelf,
)
from topapi.topics.taobao_item_item_offline_notice import (
    ItemOfflineNotice as _taobao_item_item_offline_notice,
)
from topapi.topics.taobao_item_item_punish_cc import (
    ItemPunishCc as _taobao_item_item_punish_cc,
)
from topapi.topics.taobao_item_item_punish_delete import (
    ItemPunishDelete as _taobao_item_item_punish_delete,
)
from topapi.topics.taobao_item_item_punish_downshelf import (
    ItemPunishDownshelf as _taobao_item_item_punish_downshelf,
)
from topapi.topics.taobao_item_item_recommend_add import (
    ItemRecommendAdd as _taobao_item_item_recommend_add,
)
from topapi.topics.taobao_item_item_recommend_delete import (
    ItemRecommendDelete as _taobao_item_item_recommend_delete,
)
from topapi.topics.taobao_item_item_sku_zero_stock import (
    ItemSkuZeroStock as _taobao_item_item_sku_zero_stock,
)
from topapi.topics.taobao_item_item_stock_changed import (
    ItemStockChanged as _taobao_item_item_stock_changed,
)
from topapi.topics.taobao_item_item_stock_changed_out import (
    ItemStockChangedOut as _taobao_item_item_stock_changed_out,
)
from topapi.topics.taobao_item_item_update import ItemUpdate as _taobao_item_item_update
from topapi.topics.taobao_item_item_upshelf import (
    ItemUpshelf as _taobao_item_item_upshelf,
)
from topapi.topics.taobao_item_item_zero_stock import (
    ItemZeroStock as _taobao_item_item_zero_stock,
)
from topapi.topics.taobao_item_reserve_card_identify import (
    ReserveCardIdentify as _taobao_item_reserve_card_identify,
)
from topapi.topics.taobao_refund_order_status_sync import (
    OrderStatusSync as _taobao_refund_order_status_sync,
)
from topapi.topics.taobao_refund_refund_block_message import (
    RefundBlockMessage as _taobao_refund_refund_block_message,
)
from topapi.topics.taobao_refund_refund_buyer_modify_agreement import (
    RefundBuyerModifyAgreement as _taobao_refund_refund_buyer_modify_agreement,
)
from topapi.topics.taobao_refund_refund_buyer_return_goods import (
    RefundBuyerReturnGoods as _taobao_refund_refund_buyer_return_goods,
)
from topapi.topics.taobao_refund_refund_closed import (
    RefundClosed as _taobao_refund_refund_closed,
)
from topapi.topics.taobao_refund_refund_create_message import (
    RefundCreateMessage as _taobao_refund_refund_create_message,
)
from topapi.topics.taobao_refund_refund_created import (
    RefundCreated as _taobao_refund_refund_created,
)
from topapi.topics.taobao_refund_refund_seller_agree_agreement import (
    RefundSellerAgreeAgreement as _taobao_refund_refund_seller_agree_agreement,
)
from topapi.topics.taobao_refund_refund_seller_refuse_agreement import (
    RefundSellerRefuseAgreement as _taobao_refund_refund_seller_refuse_agreement,
)
from topapi.topics.taobao_refund_refund_success import (
    RefundSuccess as _taobao_refund_refund_success,
)
from topapi.topics.taobao_refund_refund_timeout_remind import (
    RefundTimeoutRemind as _taobao_refund_refund_timeout_remind,
)
from topapi.topics.taobao_refund_refundable_canceled import (
    RefundableCanceled as _taobao_refund_refundable_canceled,
)
from topapi.topics.taobao_refund_refundable_marked import (
    RefundableMarked as _taobao_refund_refundable_marked,
)
from topapi.topics.taobao_refund_taobao_inter_applied import (
    TaobaoInterApplied as _taobao_refund_taobao_inter_applied,
)
from topapi.topics.taobao_refund_taobao_intervened import (
    TaobaoIntervened as _taobao_refund_taobao_intervened,
)
from topapi.topics.taobao_trade_advance_disburse import (
    AdvanceDisburse as _taobao_trade_advance_disburse,
)
from topapi.topics.taobao_trade_door_installsettle import (
    DoorInstallsettle as _taobao_trade_door_installsettle,
)
from topapi.topics.taobao_trade_five_api import FiveApi as _taobao_trade_five_api
from topapi.topics.taobao_trade_open_trade_push import (
    OpenTradePush as _taobao_trade_open_trade_push,
)
from topapi.topics.taobao_trade_order_sku_changed import (
    OrderSkuChanged as _taobao_trade_order_sku_changed,
)
from topapi.topics.taobao_trade_second_api import SecondApi as _taobao_trade_second_api
from topapi.topics.taobao_trade_test import Test as _taobao_trade_test
from topapi.topics.taobao_trade_test_four import TestFour as _taobao_trade_test_four
from topapi.topics.taobao_trade_third_api import ThirdApi as _taobao_trade_third_api
from topapi.topics.taobao_trade_trade_alipay_create import (
    TradeAlipayCreate as _taobao_trade_trade_alipay_create,
)
from topapi.topics.taobao_trade_trade_buyer_pay import (
    TradeBuyerPay as _taobao_trade_trade_buyer_pay,
)
from topapi.topics.taobao_trade_trade_buyer_pay_sub_out import (
    TradeBuyerPaySubOut as _taobao_trade_trade_buyer_pay_sub_out,
)
from topapi.topics.taobao_trade_trade_buyer_step_pay import (
    TradeBuyerStepPay as _taobao_trade_trade_buyer_step_pay,
)
from topapi.topics.taobao_trade_trade_changed import (
    TradeChanged as _taobao_trade_trade_changed,
)
from topapi.topics.taobao_trade_trade_close import (
    TradeClose as _taobao_trade_trade_close,
)
from topapi.topics.taobao_trade_trade_close_and_modify_detail_order import (
    TradeCloseAndModifyDetailOrder as _taobao_trade_trade_close_and_modify_detail_order,
)
from topapi.topics.taobao_trade_trade_create import (
    TradeCreate as _taobao_trade_trade_create,
)
from topapi.topics.taobao_trade_trade_create_delay import (
    TradeCreateDelay as _taobao_trade_trade_create_delay,
)
from topapi.topics.taobao_trade_trade_createss import (
    TradeCreatess as _taobao_trade_trade_createss,
)
from topapi.topics.taobao_trade_trade_delay_confirm_pay import (
    TradeDelayConfirmPay as _taobao_trade_trade_delay_confirm_pay,
)
from topapi.topics.taobao_trade_trade_logistics_address_changed import (
    TradeLogisticsAddressChanged as _taobao_trade_trade_logistics_address_changed,
)
from topapi.topics.taobao_trade_trade_memo_modified import (
    TradeMemoModified as _taobao_trade_trade_memo_modified,
)
from topapi.topics.taobao_trade_trade_modify_fee import (
    TradeModifyFee as _taobao_trade_trade_modify_fee,
)
from topapi.topics.taobao_trade_trade_partly_confirm_pay import (
    TradePartlyConfirmPay as _taobao_trade_trade_partly_confirm_pay,
)
from topapi.topics.taobao_trade_trade_partly_refund import (
    TradePartlyRefund as _taobao_trade_trade_partly_refund,
)
from topapi.topics.taobao_trade_trade_partly_seller_ship import (
    TradePartlySellerShip as _taobao_trade_trade_partly_seller_ship,
)
from topapi.topics.taobao_trade_trade_period_success import (
    TradePeriodSuccess as _taobao_trade_trade_period_success,
)
from topapi.topics.taobao_trade_trade_rated import (
    TradeRated as _taobao_trade_trade_rated,
)
from topapi.topics.taobao_trade_trade_rated_out import (
    TradeRatedOut as _taobao_trade_trade_rated_out,
)
from topapi.topics.taobao_trade_trade_seller_ship import (
    TradeSellerShip as _taobao_trade_trade_seller_ship,
)
from topapi.topics.taobao_trade_trade_success import (
    TradeSuccess as _taobao_trade_trade_success,
)
from topapi.topics.taobao_trade_trade_success_delay import (
    TradeSuccessDelay as _taobao_trade_trade_success_delay,
)
from topapi.topics.taobao_trade_trade_timeout_remind import (
    TradeTimeoutRemind as _taobao_trade_trade_timeout_remind,
)
from topapi.topics.taobao_trade_zhihan import Zhihan as _taobao_trade_zhihan

REGISTRY: dict[str, tuple[str, str]]

@overload
def payload_type(
    topic: Literal["alibaba_idle_ApplyInfoSyn"],
) -> type[_alibaba_idle_apply_info_syn]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_HouseStatusNotify"],
) -> type[_alibaba_idle_house_status_notify]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_ISVItemChange"],
) -> type[_alibaba_idle_isv_item_change]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_ISVOrderChange"],
) -> type[_alibaba_idle_isv_order_change]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_ISVRelationChange"],
) -> type[_alibaba_idle_isv_relation_change]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_ISVReverseOrderChange"],
) -> type[_alibaba_idle_isv_reverse_order_change]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_JobItemChangeStatusNotify"],
) -> type[_alibaba_idle_job_item_change_status_notify]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_LocalIMBindStatusSyn"],
) -> type[_alibaba_idle_local_im_bind_status_syn]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_LocalLeadConfirmSyn"],
) -> type[_alibaba_idle_local_lead_confirm_syn]: ...
@overload
def payload_type(
    topic: Literal["alibaba_idle_LocalMessageNotify"],
) -> type[_alibaba_idle_local_message_notify]: ...
@overload
def payload_type(
    topic: Literal["idle_agreement_StatusChange"],
) -> type[_idle_agreement_status_change]: ...
@overload
def payload_type(
    topic: Literal["idle_appraiseisv_ItemSyn"],
) -> type[_idle_appraiseisv_item_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_appraiseisv_OrderSyn"],
) -> type[_idle_appraiseisv_order_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_appraiseisv_RefundSyn"],
) -> type[_idle_appraiseisv_refund_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_autotrade_OrderStateSync"],
) -> type[_idle_autotrade_order_state_sync]: ...
@overload
def payload_type(
    topic: Literal["idle_autotrade_RefundSync"],
) -> type[_idle_autotrade_refund_sync]: ...
@overload
def payload_type(
    topic: Literal["idle_consignment_OrderSyn"],
) -> type[_idle_consignment_order_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_consignmentii_OrderSyn"],
) -> type[_idle_consignmentii_order_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_cro_PunishMsg"],
) -> type[_idle_cro_punish_msg]: ...
@overload
def payload_type(
    topic: Literal["idle_cycleshop_GoodsNotice"],
) -> type[_idle_cycleshop_goods_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_cycleshop_SaleOrderNotice"],
) -> type[_idle_cycleshop_sale_order_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_distribution_ItemChange"],
) -> type[_idle_distribution_item_change]: ...
@overload
def payload_type(
    topic: Literal["idle_eticket_ItemExpire"],
) -> type[_idle_eticket_item_expire]: ...
@overload
def payload_type(
    topic: Literal["idle_eticket_Ordermsg"],
) -> type[_idle_eticket_ordermsg]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_AfterSalePerform"],
) -> type[_idle_fishmarket_after_sale_perform]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_BuyerBidNotify"],
) -> type[_idle_fishmarket_buyer_bid_notify]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_BuyerOrderStateSyn"],
) -> type[_idle_fishmarket_buyer_order_state_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_ItemAuctionStateSyn"],
) -> type[_idle_fishmarket_item_auction_state_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_ItemStateSyn"],
) -> type[_idle_fishmarket_item_state_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_TenderAutoAuctionMsg"],
) -> type[_idle_fishmarket_tender_auto_auction_msg]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarket_VendueStateSyn"],
) -> type[_idle_fishmarket_vendue_state_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_fishmarketfixed_OrderSyn"],
) -> type[_idle_fishmarketfixed_order_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_gameboost_OrderStateSync"],
) -> type[_idle_gameboost_order_state_sync]: ...
@overload
def payload_type(
    topic: Literal["idle_luxconsign_OrderNotice"],
) -> type[_idle_luxconsign_order_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_newoutlets_UserTagNotice"],
) -> type[_idle_newoutlets_user_tag_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_recycle_OrderStateSyn"],
) -> type[_idle_recycle_order_state_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_recycle_OrderSyn"],
) -> type[_idle_recycle_order_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_recycle_RefundStatusModify"],
) -> type[_idle_recycle_refund_status_modify]: ...
@overload
def payload_type(
    topic: Literal["idle_recycle_StoreSyn"],
) -> type[_idle_recycle_store_syn]: ...
@overload
def payload_type(
    topic: Literal["idle_seller_ImprovePackOrder"],
) -> type[_idle_seller_improve_pack_order]: ...
@overload
def payload_type(
    topic: Literal["idle_seller_JishiAiGenerateItemDesc"],
) -> type[_idle_seller_jishi_ai_generate_item_desc]: ...
@overload
def payload_type(
    topic: Literal["idle_seller_ProShopStatus"],
) -> type[_idle_seller_pro_shop_status]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_CompensateNotice"],
) -> type[_idle_topisv_compensate_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_GlobalProductNotice"],
) -> type[_idle_topisv_global_product_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_ItemNotice"],
) -> type[_idle_topisv_item_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_RefundNotice"],
) -> type[_idle_topisv_refund_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_topisv_TradeNotice"],
) -> type[_idle_topisv_trade_notice]: ...
@overload
def payload_type(
    topic: Literal["idle_trade_AddressModify"],
) -> type[_idle_trade_address_modify]: ...
@overload
def payload_type(
    topic: Literal["idle_trade_TradeReteSuccess"],
) -> type[_idle_trade_trade_rete_success]: ...
@overload
def payload_type(
    topic: Literal["idle_tranferpay_OrderChange"],
) -> type[_idle_tranferpay_order_change]: ...
@overload
def payload_type(
    topic: Literal["idle_twjd_OrderSyn"],
) -> type[_idle_twjd_order_syn]: ...
@overload
def payload_type(
    topic: Literal["taobao_fenxiao_FxRefundSuccess"],
) -> type[_taobao_fenxiao_fx_refund_success]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_AuditResultNotify"],
) -> type[_taobao_item_audit_result_notify]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_DistributeItemEdit"],
) -> type[_taobao_item_distribute_item_edit]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemAdd"],
) -> type[_taobao_item_item_add]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemDelete"],
) -> type[_taobao_item_item_delete]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemDownshelf"],
) -> type[_taobao_item_item_downshelf]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemOfflineNotice"],
) -> type[_taobao_item_item_offline_notice]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemPunishCc"],
) -> type[_taobao_item_item_punish_cc]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemPunishDelete"],
) -> type[_taobao_item_item_punish_delete]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemPunishDownshelf"],
) -> type[_taobao_item_item_punish_downshelf]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemRecommendAdd"],
) -> type[_taobao_item_item_recommend_add]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemRecommendDelete"],
) -> type[_taobao_item_item_recommend_delete]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemSkuZeroStock"],
) -> type[_taobao_item_item_sku_zero_stock]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemStockChanged"],
) -> type[_taobao_item_item_stock_changed]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemStockChangedOut"],
) -> type[_taobao_item_item_stock_changed_out]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemUpdate"],
) -> type[_taobao_item_item_update]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemUpshelf"],
) -> type[_taobao_item_item_upshelf]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ItemZeroStock"],
) -> type[_taobao_item_item_zero_stock]: ...
@overload
def payload_type(
    topic: Literal["taobao_item_ReserveCardIdentify"],
) -> type[_taobao_item_reserve_card_identify]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_OrderStatusSync"],
) -> type[_taobao_refund_order_status_sync]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundBlockMessage"],
) -> type[_taobao_refund_refund_block_message]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundBuyerModifyAgreement"],
) -> type[_taobao_refund_refund_buyer_modify_agreement]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundBuyerReturnGoods"],
) -> type[_taobao_refund_refund_buyer_return_goods]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundClosed"],
) -> type[_taobao_refund_refund_closed]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundCreateMessage"],
) -> type[_taobao_refund_refund_create_message]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundCreated"],
) -> type[_taobao_refund_refund_created]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundSellerAgreeAgreement"],
) -> type[_taobao_refund_refund_seller_agree_agreement]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundSellerRefuseAgreement"],
) -> type[_taobao_refund_refund_seller_refuse_agreement]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundSuccess"],
) -> type[_taobao_refund_refund_success]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundTimeoutRemind"],
) -> type[_taobao_refund_refund_timeout_remind]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundableCanceled"],
) -> type[_taobao_refund_refundable_canceled]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_RefundableMarked"],
) -> type[_taobao_refund_refundable_marked]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_TaobaoInterApplied"],
) -> type[_taobao_refund_taobao_inter_applied]: ...
@overload
def payload_type(
    topic: Literal["taobao_refund_TaobaoIntervened"],
) -> type[_taobao_refund_taobao_intervened]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_AdvanceDisburse"],
) -> type[_taobao_trade_advance_disburse]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_DoorInstallsettle"],
) -> type[_taobao_trade_door_installsettle]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_FiveApi"],
) -> type[_taobao_trade_five_api]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_OpenTradePush"],
) -> type[_taobao_trade_open_trade_push]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_OrderSkuChanged"],
) -> type[_taobao_trade_order_sku_changed]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_SecondApi"],
) -> type[_taobao_trade_second_api]: ...
@overload
def payload_type(topic: Literal["taobao_trade_Test"]) -> type[_taobao_trade_test]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TestFour"],
) -> type[_taobao_trade_test_four]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_ThirdApi"],
) -> type[_taobao_trade_third_api]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeAlipayCreate"],
) -> type[_taobao_trade_trade_alipay_create]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeBuyerPay"],
) -> type[_taobao_trade_trade_buyer_pay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeBuyerPaySubOut"],
) -> type[_taobao_trade_trade_buyer_pay_sub_out]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeBuyerStepPay"],
) -> type[_taobao_trade_trade_buyer_step_pay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeChanged"],
) -> type[_taobao_trade_trade_changed]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeClose"],
) -> type[_taobao_trade_trade_close]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeCloseAndModifyDetailOrder"],
) -> type[_taobao_trade_trade_close_and_modify_detail_order]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeCreate"],
) -> type[_taobao_trade_trade_create]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeCreateDelay"],
) -> type[_taobao_trade_trade_create_delay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeCreatess"],
) -> type[_taobao_trade_trade_createss]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeDelayConfirmPay"],
) -> type[_taobao_trade_trade_delay_confirm_pay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeLogisticsAddressChanged"],
) -> type[_taobao_trade_trade_logistics_address_changed]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeMemoModified"],
) -> type[_taobao_trade_trade_memo_modified]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeModifyFee"],
) -> type[_taobao_trade_trade_modify_fee]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradePartlyConfirmPay"],
) -> type[_taobao_trade_trade_partly_confirm_pay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradePartlyRefund"],
) -> type[_taobao_trade_trade_partly_refund]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradePartlySellerShip"],
) -> type[_taobao_trade_trade_partly_seller_ship]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradePeriodSuccess"],
) -> type[_taobao_trade_trade_period_success]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeRated"],
) -> type[_taobao_trade_trade_rated]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeRatedOut"],
) -> type[_taobao_trade_trade_rated_out]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeSellerShip"],
) -> type[_taobao_trade_trade_seller_ship]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeSuccess"],
) -> type[_taobao_trade_trade_success]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeSuccessDelay"],
) -> type[_taobao_trade_trade_success_delay]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_TradeTimeoutRemind"],
) -> type[_taobao_trade_trade_timeout_remind]: ...
@overload
def payload_type(
    topic: Literal["taobao_trade_Zhihan"],
) -> type[_taobao_trade_zhihan]: ...
@overload
def payload_type(topic: str) -> type[TopicPayload] | None: ...
